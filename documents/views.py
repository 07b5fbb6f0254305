"""Public verification pages and the staff's letter and revocation actions. Thin: parse,
call one selector or service, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from config.exceptions import ApplicationError, NotFound, error_messages
from workflow import selectors as workflow_selectors

from . import selectors, services
from .api import MAX_CHECK_BYTES, sha256_of_upload
from .throttles import verify_throttle_check


def _throttled(request):
    wait = verify_throttle_check(request)
    if wait is None:
        return None
    response = render(request, "documents/throttled.html", {"wait": wait}, status=429)
    response["Retry-After"] = str(wait)
    return response


def _uploaded_sha256(request):
    """(sha256, error) of the PDF posted as `file`."""
    upload = request.FILES.get("file")
    if upload is None:
        return None, _("Choose the PDF file to check.")
    if upload.size > MAX_CHECK_BYTES:
        return None, _("The file is too large.")
    return sha256_of_upload(upload), None


@require_http_methods(["GET", "POST"])
def verify_index(request):
    """Enter a code, or upload a PDF to find the document it is."""
    throttled = _throttled(request)
    if throttled:
        return throttled
    typed = (request.GET.get("kode") or "").strip()[:40]
    context = {"typed": typed}
    status = 200
    if typed:
        code = selectors.normalize_code(typed)
        if code is not None:
            return redirect("documents:verify", code)
        context["error"] = _("This is not a valid verification code.")
        status = 400
    if request.method == "POST":
        sha256, error = _uploaded_sha256(request)
        document = selectors.document_by_sha256(sha256) if sha256 else None
        context.update(checked=sha256 is not None, file_error=error, sha256=sha256)
        if document is not None:
            context["doc"] = selectors.public_verification(document)
            context["match"] = True
        status = 400 if error else 200
    return render(request, "documents/verify_index.html", context, status=status)


@require_http_methods(["GET", "POST"])
def verify_detail(request, code):
    throttled = _throttled(request)
    if throttled:
        return throttled
    document = selectors.document_by_code(code)
    if document is None:
        return render(request, "documents/verify_unknown.html", {"typed": code}, status=404)
    context = {"doc": selectors.public_verification(document)}
    status = 200
    if request.method == "POST":
        sha256, error = _uploaded_sha256(request)
        context.update(
            checked=sha256 is not None,
            file_error=error,
            sha256=sha256,
            match=sha256 == document.sha256,
        )
        status = 400 if error else 200
    return render(request, "documents/verify_detail.html", context, status=status)


# --- staff -----------------------------------------------------------------------------


@require_POST
@login_required
def letter_issue(request, task_id):
    try:
        task = workflow_selectors.task_for_user(request.user, task_id)
    except NotFound:
        return render(request, "workflow/not_found.html", status=404)
    number = task.request.registration_number
    try:
        document = services.result_letter_issue(
            task=task, user=request.user, note=request.POST.get("note", "")[:5000]
        )
    except ApplicationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
        return redirect("staff-request", number)
    messages.success(
        request,
        _("Letter %(letter)s was signed and %(number)s approved with it.")
        % {"letter": document.letter_number, "number": number},
    )
    return redirect("staff-request", number)


def _staff_document(request, code):
    """A document of a request the user may see as staff, else None (404)."""
    document = selectors.document_by_code(code)
    if document is None:
        return None
    visible = workflow_selectors.requests_for_staff(request.user).filter(pk=document.request_id)
    if not (request.user.is_superuser or visible.exists()):
        return None
    return document


@login_required
def staff_document(request, code):
    document = _staff_document(request, code)
    if document is None:
        return render(request, "workflow/not_found.html", status=404)
    return render(
        request,
        "documents/staff_document.html",
        {
            "doc": document,
            "number": document.request.registration_number,
            "may_revoke": services.may_revoke(request.user, document),
        },
    )


@require_POST
@login_required
def staff_document_revoke(request, code):
    document = _staff_document(request, code)
    if document is None:
        return render(request, "workflow/not_found.html", status=404)
    try:
        services.document_revoke(
            document=document, user=request.user, reason=request.POST.get("reason", "")
        )
    except ApplicationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, _("The document was revoked."))
    return redirect(reverse("documents:staff-document", args=[document.code]))
