"""Citizen portal pages: catalogue, application form, receipt, public status, the
applicant's own request, and the PTSP counter. Views parse, check, call one workflow
service and render; the rules live in `workflow.services`."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config import ratelimit
from config.exceptions import ApplicationError, NotFound
from organization.models import LOGO_MAX_BYTES, Office
from services_catalog import selectors as catalogue_selectors
from services_catalog.models import ServiceType
from workflow import downloads, roles
from workflow import selectors as workflow_selectors
from workflow import services as workflow_services
from workflow.models import FINAL_STATUSES, Channel, RequestEvent, RequestStatus
from workflow.numbers import InvalidNumber, normalize

from . import cache, page_shell, receipts
from .answer_html import answer_html
from .forms import ApplicationForm, CorrectionForm
from .portal import (
    applicant_request,
    form_error_response,
    new_form_token,
    not_found_page,
    remember_token,
    request_for_token,
    see_other,
    service_context,
    service_or_404,
    submit_posted_form,
    throttled_page,
    throttled_page_for,
)
from .selectors import counter_registrations, counter_request, public_status, public_status_of

# --- catalogue and application ---------------------------------------------------------


def catalogue(request):
    query = (request.GET.get("q") or "").strip()[: catalogue_selectors.SEARCH_MAX_CHARS]
    services = ServiceType.objects.public().select_related("unit__office")
    if query:
        # Ranked, best first (services_catalog.selectors.service_type_search).
        services = list(catalogue_selectors.service_type_search(services, query=query))
    else:
        services = sorted(
            services,
            key=lambda s: (s.unit.office.code, s.unit.name, s.unit_id, s.display_order, s.name),
        )
    return render(request, "tracking/catalogue.html", {"services": services, "query": query})


@require_http_methods(["GET", "POST"])
def service_detail(request, code):
    service = service_or_404(code)
    context = service_context(service)
    if request.method == "POST":
        # One limit for page and API (scope "submit"): each submission can send WhatsApp.
        throttled = throttled_page(request, "submit", ident=ratelimit.client_ident(request))
        if throttled is not None:
            return throttled
        form, service_request = submit_posted_form(
            request, service, channel=Channel.ONLINE, acting_user=None
        )
        if service_request is not None:
            remember_token(request, service_request)
            return see_other(request, "tracking:receipt", service_request.registration_number)
        context["form"] = form
        return form_error_response(request, "tracking/service_detail.html", context, form)
    context["form"] = ApplicationForm(service=service, initial={"form_token": new_form_token()})
    return render(request, "tracking/service_detail.html", context)


def office_logo(request, code):
    """An office's letterhead logo (public: it is printed on every letter)."""
    import filetype

    office = Office.objects.filter(code=code).only("logo").first()
    if office is None or not office.logo:
        return not_found_page(request)
    try:
        with office.logo.open("rb") as handle:
            content = handle.read(LOGO_MAX_BYTES + 1)
    except OSError:
        return not_found_page(request)
    kind = filetype.guess(content[:512])
    if kind is None or kind.mime not in ("image/png", "image/jpeg"):
        return not_found_page(request)
    response = HttpResponse(content, content_type=kind.mime)
    response["Cache-Control"] = "public, max-age=3600"
    response["X-Content-Type-Options"] = "nosniff"
    return response


def receipt(request, number):
    token = request.GET.get("token")
    if token:
        return _take_token(request, number, token, "tracking:receipt")
    service_request = applicant_request(request, number)
    if service_request is None:
        return not_found_page(request)
    url = receipts.status_url(service_request.registration_number)
    access = receipts.access_url(service_request)
    return render(
        request,
        "tracking/receipt.html",
        {
            "sr": service_request,
            "status_url": url,
            "status_path": reverse(
                "tracking:track-detail", args=[service_request.registration_number]
            ),
            "qr_svg": receipts.qr_svg(url, label=_("QR code of the status page")),
            "access_url": access,
            "access_qr_svg": receipts.qr_svg(access, label=_("QR code of your private link")),
            "letterhead": receipts.letterhead_of(service_request),
            "office": service_request.office,
            "fee": receipts.rupiah(service_request.service.fee),
        },
    )


def receipt_pdf(request, number):
    service_request = applicant_request(request, number)
    if service_request is None:
        return not_found_page(request)
    response = HttpResponse(receipts.receipt_pdf(service_request), content_type="application/pdf")
    filename = f"tanda-terima-{service_request.registration_number}.pdf"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


# --- public status ---------------------------------------------------------------------


def track_lookup(request):
    typed = (request.GET.get("nomor") or "").strip()[:64]
    error = None
    if typed:
        try:
            key = normalize(typed)
        except InvalidNumber:
            error = _("Not a valid registration number, please check it again.")
        else:
            return redirect("tracking:track-detail", key)
    return render(
        request,
        "tracking/track_lookup.html",
        {"typed": typed, "error": error},
        status=400 if error else 200,
    )


def track_detail(request, number):
    try:
        key = normalize(number)
    except InvalidNumber:
        throttled = throttled_page(request, "track")
        if throttled is not None:
            return throttled
        return render(
            request,
            "tracking/track_lookup.html",
            {
                "typed": number,
                "error": _("Not a valid registration number, please check it again."),
            },
            status=400,
        )
    # The answer's HTML is cached with the API's answer (same versions, so never stale);
    # the date is in its key because "late" turns on at midnight.
    kind = f"page:{timezone.localdate()}"
    wait, answer = cache.counted_lookup(request, key, kind, lambda: _track_answer(key))
    if wait is not None:
        return throttled_page_for(request, "track", ratelimit.retry_after(wait))
    if answer is None:
        return render(request, "tracking/track_unknown.html", {"typed": number}, status=404)
    return page_shell.status_page(request, answer)


def _track_answer(key: str) -> dict | None:
    status = public_status(key)
    if status is None:
        return None
    return {"registration_number": status.registration_number, "html": answer_html(status)}


# --- the applicant's own request -------------------------------------------------------


def _take_token(request, number, token, next_view):
    """First visit from the receipt/WhatsApp link: check the token, keep it in the
    session and drop it from the address bar (and from Referer headers)."""
    try:
        key = normalize(number)
    except InvalidNumber:
        return not_found_page(request)
    service_request = request_for_token(key, token[:128])
    if service_request is None:
        return not_found_page(request)
    remember_token(request, service_request)
    return redirect(next_view, service_request.registration_number)


def _own_context(service_request, form=None):
    status = public_status_of(service_request, for_applicant=True)
    can_fix = service_request.status == RequestStatus.NEEDS_INFO
    if can_fix and form is None:
        form = CorrectionForm(service_request=service_request)
    return {
        "sr": service_request,
        "track": status,
        "documents": [d for d in service_request.documents.all() if not d.superseded],
        "data_rows": workflow_selectors.request_answers(service_request),
        "form": form if can_fix else None,
        "can_cancel": service_request.status not in FINAL_STATUSES,
        "closed_unanswered": next(
            (
                e
                for e in service_request.events.all()
                if e.kind == RequestEvent.Kind.CLOSED_UNANSWERED
            ),
            None,
        ),
        "has_result": bool(
            service_request.status == RequestStatus.COMPLETED and service_request.result_document
        ),
        "panels": _applicant_panels(service_request),
    }


def _applicant_panels(service_request):
    """What the feature rooms add to the applicant's page (settings.APPLICANT_REQUEST_PANELS),
    e.g. the result's verification code; tracking imports none of them."""
    html = [
        import_string(path)(None, service_request) for path in settings.APPLICANT_REQUEST_PANELS
    ]
    return [mark_safe(h) for h in html if h]  # noqa: S308 - panels render their own escaped HTML


def own_request(request, number):
    token = request.GET.get("token")
    if token:
        return _take_token(request, number, token, "tracking:own-request")
    service_request = applicant_request(request, number)
    if service_request is None:
        return not_found_page(request)
    return render(request, "tracking/own_request.html", _own_context(service_request))


@require_POST
def own_resubmit(request, number):
    service_request = applicant_request(request, number)
    if service_request is None:
        return not_found_page(request)
    form = CorrectionForm(request.POST, request.FILES, service_request=service_request)
    form.is_valid()
    try:
        workflow_services.service_request_resubmit(
            request=service_request,
            data=form.correction_data(),
            documents=form.catalogue_documents(),
            acting_user=None,
        )
    except ApplicationError as exc:
        form.apply_errors(exc)
        context = _own_context(service_request, form=form)
        if context["form"] is None:  # no longer correctable (sent twice): say why on top
            messages.error(request, exc.message)
        return render(request, "tracking/own_request.html", context, status=exc.status_code)
    messages.success(request, _("Thank you: your correction was sent to the office."))
    return see_other(request, "tracking:own-request", service_request.registration_number)


@require_http_methods(["GET", "POST"])
def own_cancel(request, number):
    service_request = applicant_request(request, number)
    if service_request is None:
        return not_found_page(request)
    if request.method == "POST":
        try:
            workflow_services.service_request_cancel(
                request=service_request, acting_user=None, note=""
            )
        except ApplicationError as exc:
            messages.error(request, str(exc.message))
        else:
            messages.success(request, _("Your request was cancelled."))
        return redirect("tracking:own-request", service_request.registration_number)
    return render(request, "tracking/own_cancel.html", {"sr": service_request})


def own_document(request, number, document_id):
    service_request = applicant_request(request, number)
    if service_request is None:
        return not_found_page(request)
    document = service_request.documents.filter(id=document_id, superseded=False).first()
    if document is None:
        return not_found_page(request)
    try:
        return downloads.document_download(document)
    except NotFound:
        return not_found_page(request)


def own_result(request, number):
    service_request = applicant_request(request, number)
    if service_request is None:
        return not_found_page(request)
    try:
        return downloads.result_download(service_request)
    except NotFound:
        return not_found_page(request)


# --- PTSP counter ----------------------------------------------------------------------


def _forbidden(request):
    return render(request, "tracking/forbidden.html", status=403)


@login_required
def counter_index(request):
    office_ids = roles.clerk_office_ids(request.user)
    if not office_ids:
        return _forbidden(request)
    services = (
        ServiceType.objects.public()
        .filter(unit__office_id__in=office_ids)
        .select_related("unit__office")
    )
    return render(
        request,
        "tracking/counter_index.html",
        {
            "services": services,
            "today": timezone.localdate(),
            "registrations": list(counter_registrations(request.user)[:500]),
        },
    )


@login_required
def counter_reprint(request):
    """Reprint any receipt of the clerk's office (`?number=`): the clerk's browser is given
    the request's access, as at registration, and shown the receipt."""
    if not roles.clerk_office_ids(request.user):
        return _forbidden(request)
    number = (request.GET.get("number") or "").strip()[:40]
    service_request = counter_request(request.user, number) if number else None
    if service_request is None:
        messages.error(request, _("No request of your office has that number."))
        return redirect("tracking:counter")
    remember_token(request, service_request)
    return see_other(request, "tracking:receipt", service_request.registration_number)


@login_required
@require_http_methods(["GET", "POST"])
def counter_form(request, code):
    office_ids = roles.clerk_office_ids(request.user)
    if not office_ids:
        return _forbidden(request)
    service = service_or_404(code)
    if service.unit.office_id not in office_ids:
        return not_found_page(request)
    context = {**service_context(service), "counter": True}
    if request.method == "POST":
        form, service_request = submit_posted_form(
            request, service, channel=Channel.COUNTER, acting_user=request.user
        )
        if service_request is not None:
            remember_token(request, service_request)
            return see_other(request, "tracking:receipt", service_request.registration_number)
        context["form"] = form
        return form_error_response(request, "tracking/counter_form.html", context, form)
    context["form"] = ApplicationForm(service=service, initial={"form_token": new_form_token()})
    return render(request, "tracking/counter_form.html", context)
