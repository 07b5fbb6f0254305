"""Read side of public tracking: what anyone holding a registration number may see.

Nothing personal is read here: no applicant fields, no form data, no documents.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from services_catalog.models import ServiceType, Step
from workflow.models import FINAL_STATUSES, RequestEvent, RequestStatus, ServiceRequest

PUBLIC_REQUEST_FIELDS = (
    "id",
    "registration_number",
    "status",
    "current_step_id",
    "submitted_at",
    "due_date",
    "completed_at",
    "service_id",
    "service__code",
    "service__name",
)


@dataclass
class StepState:
    order: int
    name: str
    state: str  # done / current / pending


@dataclass
class HistoryEntry:
    at: datetime.datetime
    status: str
    status_label: str
    step: dict | None  # {order, name}
    note: str


@dataclass
class PublicStatus:
    registration_number: str
    service: ServiceType
    status: str
    status_label: str
    current_step: Step | None
    steps: list[StepState]
    history: list[HistoryEntry] = field(default_factory=list)
    submitted_at: datetime.datetime | None = None
    due_date: datetime.date | None = None
    completed_at: datetime.datetime | None = None

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_late(self) -> bool:
        """Past the expected completion date (still open today, or finished after it)."""
        if self.due_date is None:
            return False
        if self.completed_at is not None:
            return timezone.localdate(self.completed_at) > self.due_date
        if self.is_final:
            return False
        return timezone.localdate() > self.due_date

    @property
    def needs_info(self) -> bool:
        return self.status == RequestStatus.NEEDS_INFO

    @property
    def office_note(self) -> str:
        """The latest public note (the office's reason when returning or rejecting)."""
        for entry in reversed(self.history):
            if entry.status == self.status:
                return entry.note
        return ""


def step_states(*, steps, current_step_id, status) -> list[StepState]:
    """Each catalogue step as done / current / pending for the progress line."""
    current_order = next((s.order for s in steps if s.id == current_step_id), None)
    states = []
    for step in steps:
        if status == RequestStatus.COMPLETED:
            state = "done"
        elif current_order is None:
            state = "pending"
        elif step.order < current_order:
            state = "done"
        elif step.order == current_order and status not in FINAL_STATUSES:
            state = "current"
        else:
            state = "pending"
        states.append(StepState(order=step.order, name=step.name, state=state))
    return states


def public_status(registration_key: str) -> PublicStatus | None:
    """The public view of a request by its lookup key, in exactly three queries
    (request + service, its steps, its public history) whatever the history length."""
    row = (
        ServiceRequest.objects.select_related("service")
        .only(*PUBLIC_REQUEST_FIELDS)
        .filter(registration_key=registration_key)
        .first()
    )
    if row is None:
        return None
    steps = list(Step.objects.filter(service_id=row.service_id).only("id", "order", "name"))
    by_id = {s.id: s for s in steps}
    labels = dict(RequestStatus.choices)
    events = (
        RequestEvent.objects.filter(request_id=row.id, is_transition=True)
        .order_by("at", "id")
        .values_list("at", "to_status", "step_id", "note")
    )
    history = []
    for at, status, step_id, note in events:
        step = by_id.get(step_id)
        history.append(
            HistoryEntry(
                at=at,
                status=status,
                status_label=str(labels.get(status, status)),
                step={"order": step.order, "name": step.name} if step else None,
                note=note,
            )
        )
    return PublicStatus(
        registration_number=row.registration_number,
        service=row.service,
        status=row.status,
        status_label=str(labels.get(row.status, row.status)),
        current_step=by_id.get(row.current_step_id),
        steps=step_states(steps=steps, current_step_id=row.current_step_id, status=row.status),
        history=history,
        submitted_at=row.submitted_at,
        due_date=row.due_date,
        completed_at=row.completed_at,
    )
