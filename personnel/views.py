"""HR pages: the consistency monitor (/staf/kepegawaian/konsistensi/), an issue with its
history and "solve problem" actions, and the SIASN upload with its progress."""

import json
from functools import wraps

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from config.exceptions import ApplicationError, error_messages

from . import selectors, services
from .api import issue_actions, start_upload_import
from .consistency import consistency_refresh
from .models import IssueClass, SiasnImport


def hr_required(view):
    @wraps(view)
    @login_required
    def wrapper(request, *args, **kwargs):
        if not selectors.may_reconcile(request.user):
            raise PermissionDenied
        return view(request, *args, **kwargs)

    return wrapper


class UploadForm(forms.Form):
    file = forms.FileField(
        label=gettext_lazy("SIASN export (CSV 'Export Data ASN' or JSON data-utama list)"),
        widget=forms.ClearableFileInput(attrs={"accept": ".csv,.json,text/csv,application/json"}),
    )
    partial = forms.BooleanField(
        label=gettext_lazy("Only some employees (do not mark the others missing from BKN)"),
        required=False,
    )


@hr_required
def monitor(request):
    params = request.GET
    issue_class = params.get("class", "")
    if issue_class not in IssueClass.values:
        issue_class = ""
    status = params.get("status", "open")
    issues = selectors.issue_list(
        user=request.user,
        issue_class=issue_class,
        status=status,
        office=params.get("office", ""),
        unit=params.get("unit", ""),
        nip=params.get("nip", ""),
    )
    page = Paginator(issues, 50).get_page(params.get("page"))
    for issue in page:
        issue.allowed = issue_actions(issue)
    summary = selectors.consistency_summary(user=request.user)
    return render(
        request,
        "personnel/monitor.html",
        {
            "summary": summary,
            "page": page,
            "classes": IssueClass.choices,
            "issue_class": issue_class,
            "status": status,
            "office": params.get("office", ""),
            "query": params.urlencode(),
            "here": request.get_full_path(),
        },
    )


@hr_required
def issue_detail(request, issue_id):
    issue = selectors.issue_get(pk=issue_id, user=request.user)
    if issue is None:
        raise Http404
    issue.allowed = issue_actions(issue)
    return render(
        request,
        "personnel/issue.html",
        {
            "issue": issue,
            "history": issue.actions.select_related("actor"),
            "here": request.get_full_path(),
        },
    )


ACTIONS = {
    "accept-bkn": lambda issue, user, note: services.issue_accept_bkn(
        issue=issue, actor=user, note=note
    ),
    "keep-local": lambda issue, user, note: services.issue_keep_local(
        issue=issue, actor=user, note=note
    ),
    "create-employee": lambda issue, user, note: services.issue_create_employee(
        issue=issue, actor=user
    ),
}
DONE = {
    "accept-bkn": gettext_lazy("BKN's value was taken over."),
    "keep-local": gettext_lazy("The local value is kept; the note is recorded."),
    "create-employee": gettext_lazy("The employee was created from BKN's data."),
}


def _back(request, fallback):
    target = request.POST.get("next", "")
    if url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        return redirect(target)
    return redirect(fallback)


@hr_required
@require_POST
def issue_act(request, issue_id, action):
    issue = selectors.issue_get(pk=issue_id, user=request.user)
    if issue is None or action not in ACTIONS:
        raise Http404
    try:
        ACTIONS[action](issue, request.user, request.POST.get("note", ""))
    except ApplicationError as error:
        messages.error(request, "; ".join(error_messages(error)))
    else:
        messages.success(request, DONE[action])
    return _back(request, reverse("personnel-monitor"))


@hr_required
@require_POST
def recheck(request):
    changes = consistency_refresh()
    messages.success(
        request,
        _("Checked again: %(opened)d new, %(resolved)d resolved.")
        % {"opened": changes.get("opened", 0), "resolved": changes.get("resolved", 0)},
    )
    return redirect("personnel-monitor")


def _start(request, form):
    """Register the uploaded import; answer where its progress is shown."""
    siasn_import = start_upload_import(
        upload=form.cleaned_data["file"], user=request.user, full=not form.cleaned_data["partial"]
    )
    target = reverse("personnel-import", args=[siasn_import.pk])
    if request.headers.get("X-Requested-With") == "XMLHttpRequest":
        response = HttpResponse(status=204)  # static/js/upload.js follows X-Location
        response["X-Location"] = target
        return response
    return redirect(target)


@hr_required
def upload(request):
    form, status, too_large = UploadForm(), 200, False
    if request.method == "POST":
        # Refuse an oversized body before Django reads it (the limit plus the form's fields).
        if int(request.META.get("CONTENT_LENGTH") or 0) > settings.SIASN_IMPORT_MAX_BYTES + 65536:
            too_large, status = True, 413
        else:
            form = UploadForm(request.POST, request.FILES)
            if form.is_valid():
                try:
                    return _start(request, form)
                except ApplicationError as error:
                    form.add_error("file", str(error.message))
                    status = error.status_code
            else:
                status = 400
    imports = SiasnImport.objects.select_related("uploaded_by")[:20]
    return render(
        request,
        "personnel/upload.html",
        {
            "form": form,
            "imports": imports,
            "max_bytes": settings.SIASN_IMPORT_MAX_BYTES,
            "too_large": too_large,
        },
        status=status,
    )


def _import(import_id):
    siasn_import = SiasnImport.objects.filter(pk=import_id).first()
    if siasn_import is None:
        raise Http404
    return siasn_import


@hr_required
def import_status(request, import_id):
    siasn_import = _import(import_id)
    return render(
        request,
        "personnel/import.html",
        {
            "siasn_import": siasn_import,
            "summary_json": json.dumps(siasn_import.summary, indent=2, ensure_ascii=False),
        },
    )


@hr_required
def import_progress(request, import_id):
    """What the import page polls: status, percent, rows (and the summary when done)."""
    siasn_import = _import(import_id)
    finished = siasn_import.status in (SiasnImport.Status.DONE, SiasnImport.Status.FAILED)
    return JsonResponse(
        {
            "status": siasn_import.status,
            "status_label": siasn_import.get_status_display(),
            "percent": siasn_import.percent,
            "rows_read": siasn_import.rows_read,
            "finished": finished,
        }
    )
