"""Read side of public tracking: what anyone holding a registration number may see.

The timeline itself is the workflow's (`workflow.selectors.public_timeline`, one
definition for the track API, the status page and the applicant's page); this module
adds what the pages show around it (late or not, the office's note) and keeps the
public output to the contract's fields.
"""

import datetime
from dataclasses import dataclass, field

from django.utils import timezone

from workflow import selectors as workflow_selectors
from workflow.models import FINAL_STATUSES, Channel, RequestStatus, ServiceRequest
from workflow.numbers import key_of
from workflow.roles import clerk_office_ids

HISTORY_FIELDS = ("at", "status", "status_label", "step", "note")


@dataclass
class PublicStatus:
    registration_number: str
    service: dict  # {code, name}
    status: str
    status_label: str
    current_step: dict | None  # {order, name}
    steps: list[dict]  # [{order, name, state}]
    history: list[dict] = field(default_factory=list)  # oldest first
    submitted_at: datetime.datetime | None = None
    due_date: datetime.date | None = None
    completed_at: datetime.datetime | None = None

    def as_contract(self) -> dict:
        return {
            "registration_number": self.registration_number,
            "service": self.service,
            "status": self.status,
            "status_label": self.status_label,
            "current_step": self.current_step,
            "steps": self.steps,
            "history": self.history,
            "submitted_at": self.submitted_at,
            "due_date": self.due_date,
            "completed_at": self.completed_at,
        }

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES

    @property
    def is_late(self) -> bool:
        """Past the expected completion date: completed after it, or still with the office
        today. Not while it waits on the applicant's correction (the office's clock is
        stopped), nor once rejected or cancelled (there is no result to be late with)."""
        if self.due_date is None or self.needs_info:
            return False
        if self.status == RequestStatus.COMPLETED and self.completed_at is not None:
            return timezone.localdate(self.completed_at) > self.due_date
        if self.is_final:
            return False
        return timezone.localdate() > self.due_date

    @property
    def needs_info(self) -> bool:
        return self.status == RequestStatus.NEEDS_INFO

    @property
    def office_note(self) -> str:
        """The note of the transition into the current status (e.g. why it was returned)."""
        for entry in reversed(self.history):
            if entry["status"] == self.status:
                return entry["note"] or ""
        return ""


def public_status_of(service_request, *, for_applicant: bool = False) -> PublicStatus:
    """The timeline; `for_applicant` (their own page, with the access token) shows the
    notes meant for them instead of only what staff published."""
    return _public_status(
        workflow_selectors.public_timeline(service_request, for_applicant=for_applicant)
    )


def _public_status(timeline: dict) -> PublicStatus:
    timeline["history"] = [
        {key: entry.get(key) for key in HISTORY_FIELDS} for entry in timeline["history"]
    ]
    timeline["steps"] = [
        {"order": s["order"], "name": s["name"], "state": s["state"]} for s in timeline["steps"]
    ]
    return PublicStatus(**{key: timeline.get(key) for key in PublicStatus.__dataclass_fields__})


def public_status(registration_key: str) -> PublicStatus | None:
    """The public view of a request by its lookup key, in one query whatever the history
    length; None if unknown. Callers cache what they make of it (tracking/cache.py)."""
    timeline = workflow_selectors.public_timeline_by_number(registration_key)
    return None if timeline is None else _public_status(timeline)


# --- the PTSP counter ----------------------------------------------------------------


def counter_registrations(user, *, on: datetime.date | None = None):
    """The walk-in registrations of `on` (today) at the counters of the offices where
    `user` is a clerk, newest first: what the counter lists for reprinting receipts."""

    on = on or timezone.localdate()
    return (
        ServiceRequest.objects.filter(
            channel=Channel.COUNTER,
            office_id__in=clerk_office_ids(user),
            submitted_at__date=on,
        )
        .select_related("service", "submitted_by")
        .only(
            "registration_number",
            "status",
            "submitted_at",
            "applicant_name",
            "service__name",
            "submitted_by__username",
        )
        .order_by("-submitted_at", "-pk")
    )


def counter_request(user, number: str):
    """A request of an office where `user` is a clerk, by its typed number; else None."""

    return ServiceRequest.objects.filter(
        registration_key=key_of(number), office_id__in=clerk_office_ids(user)
    ).first()
