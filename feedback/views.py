"""Survey, IKM and complaint pages: the citizen's (phone first), the counter tablet's and
the staff's. Thin: parse, call one selector or service, render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.exceptions import ApplicationError, NotFound, error_dict, error_messages
from organization.models import Office, StaffMembership
from workflow import selectors as workflow_selectors
from workflow.models import RequestStatus

from . import charts, selectors, services
from .links import complaint_access_url
from .models import ELEMENTS, ComplaintStatus, LaporHandoff, Score
from .throttles import complaint_throttle_check

SURVEY_TOKENS = "alur_survey_tokens"
COMPLAINT_TOKENS = "alur_complaint_tokens"


def _errors(exc: ApplicationError) -> dict:
    return {k: v for k, v in error_dict(exc).items() if k is not None}


def _keep(request, key, name, value):
    tokens = dict(request.session.get(key, {}))
    tokens[name] = value
    request.session[key] = tokens


# --- the survey (SKM) ----------------------------------------------------------------------


def _survey_request(request, number):
    token = request.session.get(SURVEY_TOKENS, {}).get(number.upper())
    if not token:
        return None
    try:
        return workflow_selectors.request_for_applicant(number, token)
    except NotFound:
        return None


def _survey_context(service_request, *, errors=None, values=None, comment=""):
    return {
        "sr": service_request,
        "questions": [(code, label, (values or {}).get(code, "")) for code, label in ELEMENTS],
        "scores": Score.choices,
        "errors": errors or {},
        "comment": comment,
    }


@require_http_methods(["GET", "POST"])
def survey(request, number):
    token = request.GET.get("token")
    if token:
        try:
            found = workflow_selectors.request_for_applicant(number, token[:128])
        except NotFound:
            return render(request, "feedback/survey_unknown.html", status=404)
        _keep(request, SURVEY_TOKENS, found.registration_number.upper(), found.access_token)
        return redirect("feedback:survey", found.registration_number)
    service_request = _survey_request(request, number)
    if service_request is None:
        return render(request, "feedback/survey_unknown.html", status=404)
    return _survey_form(request, service_request, channel="online")


def _survey_form(request, service_request, *, channel, acting_user=None, template=None):
    template = template or "feedback/survey.html"
    if service_request.status != RequestStatus.COMPLETED:
        return render(request, "feedback/survey_closed.html", {"sr": service_request}, status=409)
    if services.survey_answered(service_request):
        return render(request, "feedback/survey_done.html", {"sr": service_request}, status=409)
    if request.method == "GET":
        return render(request, template, _survey_context(service_request))
    values = {code: request.POST.get(code, "") for code, _label in ELEMENTS}
    comment = request.POST.get("comment", "")[:2000]
    try:
        services.survey_submit(
            request=service_request,
            answers=values,
            comment=comment,
            channel=channel,
            acting_user=acting_user,
        )
    except ApplicationError as exc:
        if exc.status_code == 409:
            return render(request, "feedback/survey_done.html", {"sr": service_request}, status=409)
        context = _survey_context(
            service_request, errors=_errors(exc), values=values, comment=comment
        )
        return render(request, template, context, status=400)
    return render(
        request, "feedback/survey_thanks.html", {"sr": service_request, "channel": channel}
    )


def _clerk_office_ids(user) -> set[int]:
    return set(
        StaffMembership.objects.filter(user=user, role=StaffMembership.Role.CLERK).values_list(
            "unit__office_id", flat=True
        )
    )


@login_required
def counter_survey(request):
    """The PTSP counter's tablet: type the registration number, hand the tablet over."""
    if not _clerk_office_ids(request.user):
        return render(request, "feedback/forbidden.html", status=403)
    typed = (request.GET.get("nomor") or "").strip()[:40]
    error = None
    if typed:
        found = workflow_selectors.request_by_number(typed)
        if found is None or found.office_id not in _clerk_office_ids(request.user):
            error = _("No request of this office has this number.")
        else:
            return redirect("feedback:counter-survey-form", found.registration_number)
    return render(
        request,
        "feedback/counter_survey.html",
        {"typed": typed, "error": error},
        status=400 if error else 200,
    )


@login_required
@require_http_methods(["GET", "POST"])
def counter_survey_form(request, number):
    found = workflow_selectors.request_by_number(number)
    if found is None or found.office_id not in _clerk_office_ids(request.user):
        return render(request, "feedback/survey_unknown.html", status=404)
    return _survey_form(
        request,
        found,
        channel="counter",
        acting_user=request.user,
        template="feedback/counter_survey_form.html",
    )


# --- IKM -----------------------------------------------------------------------------------


def _year_param(request, today):
    try:
        year = int(request.GET.get("tahun") or today.year)
    except ValueError:
        year = today.year
    return min(max(year, 2000), today.year)


def _nrr_rows(figures):
    return [(code, label, figures["nrr"][code]) for code, label in ELEMENTS]


def ikm_public(request):
    """The office's published IKM (current year), its trend per quarter and per service."""
    today = timezone.localdate()
    offices = list(Office.objects.order_by("code"))
    office = next((o for o in offices if o.code == request.GET.get("kantor")), None)
    office = office or (offices[0] if offices else None)
    year = _year_param(request, today)
    start, end = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
    figures = selectors.ikm_summary(office=office, start=start, end=end) if office else None
    trend = selectors.ikm_trend(office=office, today=today) if office else []
    return render(
        request,
        "feedback/ikm.html",
        {
            "offices": offices,
            "office": office,
            "year": year,
            "years": list(range(today.year, today.year - 5, -1)),
            "figures": figures,
            "nrr_rows": _nrr_rows(figures) if figures else [],
            "trend": trend,
            "chart": charts.trend_svg(trend),
            "by_service": selectors.ikm_by_service(office=office, start=start, end=end)
            if office
            else [],
        },
    )


@login_required
def staff_ikm(request):
    """The office's figures for its staff, with the survey comments (never public)."""
    today = timezone.localdate()
    office_ids = set(request.user.memberships.values_list("unit__office_id", flat=True))
    offices = list(Office.objects.filter(pk__in=office_ids).order_by("code"))
    if request.user.is_superuser:
        offices = list(Office.objects.order_by("code"))
    office = next((o for o in offices if o.code == request.GET.get("kantor")), None)
    office = office or (offices[0] if offices else None)
    if office is None:
        return render(request, "feedback/forbidden.html", status=403)
    year = _year_param(request, today)
    start, end = datetime.date(year, 1, 1), min(datetime.date(year, 12, 31), today)
    figures = selectors.ikm_summary(office=office, start=start, end=end)
    trend = selectors.ikm_trend(office=office, today=today)
    return render(
        request,
        "feedback/staff_ikm.html",
        {
            "offices": offices,
            "office": office,
            "year": year,
            "figures": figures,
            "nrr_rows": _nrr_rows(figures),
            "trend": trend,
            "chart": charts.trend_svg(trend),
            "by_service": selectors.ikm_by_service(office=office, start=start, end=end),
            "comments": selectors.comments_for_staff(
                request.user, office=office, start=start, end=end
            ),
        },
    )


# --- complaints ----------------------------------------------------------------------------


@require_http_methods(["GET", "POST"])
def complaint_form(request):
    offices = list(Office.objects.order_by("code"))
    values = {
        "registration_number": (request.GET.get("nomor") or "").strip()[:40],
        "office": "",
        "text": "",
        "name": "",
        "contact": "",
        "anonymous": False,
        "confidential": False,
    }
    errors = {}
    status = 200
    if request.method == "POST":
        wait = complaint_throttle_check(request)
        if wait is not None:
            response = render(request, "documents/throttled.html", {"wait": wait}, status=429)
            response["Retry-After"] = str(wait)
            return response
        post = request.POST
        values = {
            "registration_number": post.get("registration_number", "").strip()[:40],
            "office": post.get("office", "")[:10],
            "text": post.get("text", "")[:6000],
            "name": post.get("name", "")[:200],
            "contact": post.get("contact", "")[:40],
            "anonymous": post.get("anonymous") == "on",
            "confidential": post.get("confidential") == "on",
        }
        try:
            complaint = services.complaint_submit(
                text=values["text"],
                anonymous=values["anonymous"],
                confidential=values["confidential"],
                contact=values["contact"],
                name=values["name"],
                registration_number=values["registration_number"],
                office_code=values["office"],
            )
        except ApplicationError as exc:
            errors, status = _errors(exc), 400
        else:
            _keep(request, COMPLAINT_TOKENS, complaint.tracking_code, complaint.access_token)
            request.session["alur_complaint_new"] = complaint.tracking_code
            return redirect("feedback:complaint-detail", complaint.tracking_code)
    return render(
        request,
        "feedback/complaint_form.html",
        {"offices": offices, "values": values, "errors": errors},
        status=status,
    )


def complaint_detail(request, code):
    token = request.GET.get("token")
    if token:
        complaint = selectors.complaint_for_reporter(code, token[:128])
        if complaint is None:
            return render(request, "feedback/complaint_unknown.html", status=404)
        _keep(request, COMPLAINT_TOKENS, complaint.tracking_code, complaint.access_token)
        return redirect("feedback:complaint-detail", complaint.tracking_code)
    token = request.session.get(COMPLAINT_TOKENS, {}).get((code or "").upper())
    complaint = selectors.complaint_for_reporter(code, token) if token else None
    if complaint is None:
        return render(request, "feedback/complaint_unknown.html", status=404)
    is_new = request.session.pop("alur_complaint_new", None) == complaint.tracking_code
    return render(
        request,
        "feedback/complaint_detail.html",
        {
            "complaint": complaint,
            "is_new": is_new,
            "access_url": complaint_access_url(complaint),
        },
    )


@login_required
def staff_complaints(request):
    status = request.GET.get("status") or ""
    if status not in ComplaintStatus.values:
        status = ""
    rows = list(selectors.complaints_for_staff(request.user, status=status or None)[:200])
    today = timezone.localdate()
    for row in rows:
        row.is_overdue = row.status == ComplaintStatus.RECEIVED and row.due_date < today
    return render(
        request,
        "feedback/staff_complaints.html",
        {"complaints": rows, "status": status, "statuses": ComplaintStatus.choices},
    )


@login_required
def staff_complaint(request, code):
    complaint = selectors.complaint_for_staff(request.user, code)
    if complaint is None:
        return render(request, "workflow/not_found.html", status=404)
    from workflow.deadlines import add_working_days

    lapor = getattr(complaint, "lapor", None)
    may_close_on = None
    if complaint.answered_at and complaint.status != ComplaintStatus.CLOSED:
        may_close_on = add_working_days(
            timezone.localdate(complaint.answered_at), services.CLOSE_AFTER_WORKING_DAYS
        )
    return render(
        request,
        "feedback/staff_complaint.html",
        {
            "complaint": complaint,
            "reporter": selectors.reporter_view(complaint, show_reporter=True),
            "lapor": lapor,
            "lapor_statuses": LaporHandoff.Status.choices,
            "may_close_on": may_close_on,
            "overdue": complaint.status == ComplaintStatus.RECEIVED
            and complaint.due_date < timezone.localdate(),
        },
    )


def _staff_action(request, code, action, success):
    complaint = selectors.complaint_for_staff(request.user, code)
    if complaint is None:
        return render(request, "workflow/not_found.html", status=404)
    try:
        action(complaint)
    except ApplicationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, success)
    return redirect("feedback:staff-complaint", complaint.tracking_code)


@require_POST
@login_required
def staff_complaint_answer(request, code):
    return _staff_action(
        request,
        code,
        lambda c: services.complaint_answer(
            complaint=c,
            user=request.user,
            text=request.POST.get("text", ""),
            close=request.POST.get("close") == "on",
        ),
        _("The answer was sent to the complainant."),
    )


@require_POST
@login_required
def staff_complaint_lapor(request, code):
    return _staff_action(
        request,
        code,
        lambda c: services.lapor_handoff_update(
            complaint=c,
            user=request.user,
            tracking_id=request.POST.get("tracking_id", ""),
            status=request.POST.get("status", ""),
        ),
        _("The SP4N-LAPOR! record was saved."),
    )
