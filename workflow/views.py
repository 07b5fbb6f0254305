"""Staff pages under /staf/: the task queues and the request page. Thin: parse, call one
selector or service, render."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.module_loading import import_string
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.exceptions import ApplicationError, NotFound, error_messages

from . import roles, selectors, services
from .api import document_response, result_response
from .forms import DecisionForm
from .models import RequestStatus


def _not_found(request):
    return render(request, "workflow/not_found.html", status=404)


def _safe_next(request, fallback):
    target = request.POST.get("next") or ""
    return target if target.startswith("/staf/") else fallback


def _staff_request(request, number):
    try:
        return selectors.request_for_staff(request.user, number)
    except NotFound:
        return None


def _panels(http_request, service_request):
    html = []
    for path in settings.STAFF_REQUEST_PANELS:
        html.append(import_string(path)(http_request, service_request))
    return [mark_safe(h) for h in html if h]  # noqa: S308 - panels render their own escaped HTML


def _history(service_request):
    """The staff-side history with every status and capacity as a label of the reader's
    language (rows store codes and the writer's language)."""
    labels = dict(RequestStatus.choices)
    events = list(service_request.events.all())
    for e in events:
        e.from_label = labels.get(e.from_status, "") if e.from_status != e.to_status else ""
        e.to_label = labels.get(e.to_status, e.to_status)
        e.acting_label = roles.acting_as_label(e.acting_as)
    return events


def _detail_context(request, service_request, form=None):
    open_task = selectors.open_task_of(service_request)
    unit_roles = set()
    if open_task is not None:
        unit_roles = roles.membership_roles(request.user, open_task.unit_id)
    can_work = bool(unit_roles & set(roles.WORKER_ROLES))
    if open_task is not None and open_task.step.route != "unit":
        # Routed in person: the applicant's superior of the day, or the applicant.
        unit_roles = set()
        today = timezone.localdate()
        can_work = roles.routed_acting_as(request.user, open_task, today) is not None
    is_supervisor = roles.Role.SUPERVISOR in unit_roles
    holder = open_task.assigned_to_id if open_task else None
    may_decide = can_work and holder in (None, request.user.pk)
    if form is None and open_task is not None and may_decide:
        form = DecisionForm(service_request=service_request, step=open_task.step)
    assignees = []
    if is_supervisor:
        assignees = [user.get_username() for user in roles.assignees_for_task(open_task)]
    doc_labels = selectors.document_labels(service_request.service)
    documents = [(doc_labels.get(d.code, d.code), d) for d in service_request.documents.all()]
    return {
        "req": service_request,
        "open_task": open_task,
        "task_overdue": open_task is not None and selectors.task_is_overdue(open_task),
        "can_work": can_work,
        "is_supervisor": is_supervisor,
        "may_decide": may_decide,
        "form": form if may_decide else None,
        "assignees": assignees,
        "data": selectors.request_answers(service_request),
        "documents": documents,
        "steps": selectors.step_states(service_request),
        "events": _history(service_request),
        "panels": _panels(request, service_request),
        "status_label": dict(RequestStatus.choices)[service_request.status],
    }


@require_GET
@login_required
def request_detail(request, number):
    service_request = _staff_request(request, number)
    if service_request is None:
        return _not_found(request)
    return render(
        request, "workflow/request_detail.html", _detail_context(request, service_request)
    )


def _task_or_none(request, task_id):
    try:
        return selectors.task_for_user(request.user, task_id)
    except NotFound:
        return None


def _task_action(request, task_id, action, success):
    task = _task_or_none(request, task_id)
    if task is None:
        return _not_found(request)
    fallback = reverse("staff-request", args=[task.request.registration_number])
    try:
        action(task)
    except ApplicationError as exc:
        for message in error_messages(exc):
            messages.error(request, message)
    else:
        messages.success(request, success % {"number": task.request.registration_number})
    return redirect(_safe_next(request, fallback))


@require_POST
@login_required
def task_claim(request, task_id):
    return _task_action(
        request,
        task_id,
        lambda task: services.task_claim(task=task, user=request.user),
        _("You took %(number)s."),
    )


@require_POST
@login_required
def task_release(request, task_id):
    return _task_action(
        request,
        task_id,
        lambda task: services.task_release(task=task, user=request.user),
        _("%(number)s is back in the queue."),
    )


@require_POST
@login_required
def task_assign(request, task_id):
    def assign(task):
        username = request.POST.get("user", "")
        assignee = get_user_model().objects.filter(username=username).first()
        services.task_assign(task=task, assignee=assignee, user=request.user)

    return _task_action(request, task_id, assign, _("%(number)s was assigned."))


@require_POST
@login_required
def task_complete(request, task_id):
    task = _task_or_none(request, task_id)
    if task is None:
        return _not_found(request)
    service_request = _staff_request(request, task.request.registration_number)
    if service_request is None:
        return _not_found(request)
    form = DecisionForm(
        request.POST, request.FILES, service_request=service_request, step=task.step
    )
    if form.is_valid() and (request.POST.get("confirmed") != "1" or "edit" in request.POST):
        # The confirmation step (without JavaScript; with it, a dialog confirms and posts
        # `confirmed=1` at once): the decision is repeated and must be confirmed.
        context = _detail_context(request, service_request, form=form)
        context["confirming"] = "edit" not in request.POST
        context["decision_summary"] = form.summary()
        return render(request, "workflow/request_detail.html", context)
    if form.is_valid():
        try:
            services.task_complete(
                task=task,
                user=request.user,
                decision=form.cleaned_data["decision"],
                note=form.cleaned_data["note"],
                public_note=form.cleaned_data.get("public_note", ""),
                result_file=form.cleaned_data.get("result"),
                correction_codes=form.cleaned_data.get("correction_codes") or [],
            )
        except ApplicationError as exc:
            form.add_service_errors(exc)
        else:
            messages.success(
                request,
                _("Your decision on %(number)s was recorded.")
                % {"number": service_request.registration_number},
            )
            return redirect(reverse("staff-tasks") + "?scope=mine")
    service_request = _staff_request(request, task.request.registration_number)
    context = _detail_context(request, service_request, form=form)
    if context["form"] is None:  # decided meanwhile (sent twice): the form is gone, say why
        for error in form.non_field_errors() or [_("This task is no longer open.")]:
            messages.error(request, error)
    return render(request, "workflow/request_detail.html", context, status=400)


@require_GET
@login_required
def document_download(request, number, document_id):
    service_request = _staff_request(request, number)
    if service_request is None:
        return _not_found(request)
    try:
        return document_response(service_request, document_id)
    except NotFound:
        return _not_found(request)


@require_GET
@login_required
def result_download(request, number):
    service_request = _staff_request(request, number)
    if service_request is None:
        return _not_found(request)
    try:
        return result_response(service_request)
    except NotFound:
        return _not_found(request)
