"""Read-side queries of the workflow. Every staff query is filtered by the user's units."""

import secrets
from typing import NamedTuple

from django.db.models import Exists, OuterRef, Prefetch, Q
from django.utils import timezone

from config.exceptions import NotFound
from organization.models import StaffMembership
from organization.selectors import unit_ids_for_user
from services_catalog.models import Step

from .models import Document, RequestEvent, ServiceRequest, Task
from .numbers import key_of
from .roles import WORKER_ROLES
from .selectors_queue import (  # noqa: F401
    TASK_LIST_FIELDS,
    routed_to_q,
    task_is_overdue,
    tasks_for_user,
)
from .selectors_timeline import (  # noqa: F401
    public_timeline,
    public_timeline_by_number,
    step_state,
)

# The queue's reads live in selectors_queue; these names stay importable from here.
SCOPES = ("mine", "queue")  # the API's scopes (CONTRACT.md section 3); the page adds "all"


def _task_base():
    return Task.objects.select_related("request__service", "step", "unit", "assigned_to").order_by(
        "due_date", "created_at", "pk"
    )


TASK_RELATED = ("request__service", "step", "unit", "assigned_to")


def task_for_user(user, task_id, *, related=TASK_RELATED) -> Task:
    """A task of one of the user's units (any status), or routed to the user; else
    NotFound. `related`: what is read with it (its step always)."""
    task = Task.objects.select_related("step", *related).filter(pk=task_id).first()
    if task is None:
        raise NotFound()
    if task.step.route == Step.Route.UNIT:
        if task.unit_id in unit_ids_for_user(user, roles=WORKER_ROLES):
            return task
    elif Task.objects.filter(pk=task.pk).filter(routed_to_q(user)).exists():
        # Read apart: with the routing subqueries in the one lookup, PostgreSQL spent
        # 3-7 ms planning it for every staff action on a unit's task (EXPLAIN ANALYZE).
        return task
    raise NotFound()


def overdue_notices_for(user, *, unit_ids=None):
    """Overdue open tasks of the units the user supervises (the supervisor's notices;
    `unit_ids`: those units, when the caller has read them already)."""
    if unit_ids is None:
        unit_ids = unit_ids_for_user(user, roles=[StaffMembership.Role.SUPERVISOR])
    if not unit_ids:  # (the ORM would build the whole select-related query to learn that)
        return Task.objects.none()
    return (
        _task_base()
        .filter(status=Task.Status.OPEN, unit_id__in=unit_ids)
        .filter(Q(overdue=True) | Q(due_date__lt=timezone.localdate()))
    )


def _detail_queryset():
    return ServiceRequest.objects.select_related(
        "service__unit__office", "current_step", "office", "submitted_by"
    ).prefetch_related(
        "service__fields",
        "service__documents",
        Prefetch("service__steps", queryset=Step.objects.select_related("unit").order_by("order")),
        Prefetch("documents", queryset=Document.objects.order_by("code", "-uploaded_at")),
        Prefetch(
            "events",
            queryset=RequestEvent.objects.select_related("actor", "step").order_by("at", "pk"),
        ),
        Prefetch(
            "tasks",
            queryset=Task.objects.select_related("step", "assigned_to", "unit").order_by(
                "created_at", "pk"
            ),
        ),
    )


def requests_for_staff(user):
    """Requests staff may see: those whose service or one of its steps is handled by one of
    the user's units (any role)."""
    unit_ids = unit_ids_for_user(user)
    return ServiceRequest.objects.filter(
        Q(service__unit_id__in=unit_ids)
        | Exists(Step.objects.filter(service_id=OuterRef("service_id"), unit_id__in=unit_ids))
    )


def request_for_staff(user, registration_key: str) -> ServiceRequest:
    """A request by its (typed) number, if one of the user's units handles its service or
    one of its steps; else NotFound (the same as an unknown number)."""
    unit_ids = unit_ids_for_user(user)
    key = key_of(registration_key)
    request = _detail_queryset().filter(registration_key=key).first()
    if request is None:
        raise NotFound()
    if request.service.unit_id in unit_ids or any(
        step.unit_id in unit_ids for step in request.service.steps.all()
    ):
        return request
    # An internal request: its applicant, and whoever a step is routed to.
    if (
        request.applicant_user_id == user.pk
        or Task.objects.filter(request=request).filter(routed_to_q(user)).exists()
    ):
        return request
    raise NotFound()


def request_for_applicant(registration_key: str, token: str) -> ServiceRequest:
    """The applicant's own request. Unknown number and wrong token are the same NotFound;
    the token is compared in constant time."""
    key = key_of(registration_key)
    request = _detail_queryset().filter(registration_key=key).first()
    expected = request.access_token if request is not None else secrets.token_urlsafe(32)
    if not secrets.compare_digest(str(token or "").encode(), expected.encode()):
        raise NotFound()
    if request is None:
        raise NotFound()
    return request


def request_has_event(registration_key: str, event_id: int) -> bool:
    """Whether the request's history holds this event (a replica has replayed it)."""
    return RequestEvent.objects.filter(
        pk=event_id, request__registration_key=key_of(registration_key)
    ).exists()


def request_by_number(registration_key: str) -> ServiceRequest | None:
    """Any request by its (typed) number, for the public timeline; None when unknown."""
    key = key_of(registration_key)
    return (
        ServiceRequest.objects.select_related("service", "current_step")
        .prefetch_related(
            Prefetch("service__steps", queryset=Step.objects.order_by("order")),
            Prefetch(
                "events",
                queryset=RequestEvent.objects.filter(is_transition=True)
                .select_related("step")
                .order_by("at", "pk"),
                to_attr="public_events",
            ),
        )
        .filter(registration_key=key)
        .first()
    )


def step_states(request) -> list[dict]:
    """Each catalogue step of the request's service with its state: done/current/pending."""
    steps = sorted(request.service.steps.all(), key=lambda s: s.order)
    current = request.current_step.order if request.current_step_id else None
    return [
        {
            "order": step.order,
            "name": step.name,
            "state": step_state(step.order, request.status, current),
            "step": step,
        }
        for step in steps
    ]


def open_task_of(request) -> Task | None:
    for task in request.tasks.all():
        if task.status == Task.Status.OPEN:
            return task
    return None


# --- a request's answers with the catalogue's labels (staff page, applicant page, API) ---


class Answer(NamedTuple):
    code: str
    label: str
    value: object


def request_answers(service_request: ServiceRequest) -> list[Answer]:
    """The form answers of a request, labelled as the catalogue labels them, in the form's
    order; an answer whose field was removed from the catalogue since is kept, labelled by
    its code, after the others. Reads `service.fields` (prefetch it for a list)."""
    data = service_request.data or {}
    labels = {f.code: f.label for f in service_request.service.fields.all()}
    codes = [*labels, *sorted(set(data) - set(labels))]
    return [Answer(code, labels.get(code, code), data[code]) for code in codes if code in data]


def document_labels(service) -> dict[str, str]:
    """Document code -> the catalogue's label (a removed document keeps its code)."""
    return {d.code: d.label for d in service.documents.all()}
