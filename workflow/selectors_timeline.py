"""The public timeline of a request: what anyone holding its number may see.

One definition, `_timeline`, over plain values. The public lookup (track API, status
page, WhatsApp `STATUS`) reads those values in ONE query (`public_timeline_by_number`):
it is the hottest read of the product and most lookups are cache misses (every citizen
asks about a different number), and three ORM queries with prefetches cost ~3x the CPU
of this one. Pages that already hold the request (the applicant's own page) pass it to
`public_timeline`, which feeds the same definition from the loaded objects.
"""

import datetime
import json

from django.contrib.postgres.expressions import ArraySubquery
from django.db import router
from django.db.models import OuterRef
from django.db.models.functions import JSONObject

from config.prepared import PreparedQuery
from services_catalog.models import Step

from .models import RequestEvent, RequestStatus, ServiceRequest
from .numbers import key_of

REQUEST_COLUMNS = (
    "registration_number",
    "status",
    "submitted_at",
    "due_date",
    "completed_at",
    "service__code",
    "service__name",
    "current_step__order",
    "current_step__name",
)


def step_state(order: int, status: str, current: int | None) -> str:
    """done/current/pending of the step at `order` for a request in `status` whose
    current step is at `current` (None: no step in hand)."""
    if status == RequestStatus.COMPLETED:
        return "done"
    if current is None:
        return "pending"
    if order < current:
        return "done"
    return "current" if order == current else "pending"


def _by_number_query(registration_key: str):
    steps = (
        Step.objects.filter(service=OuterRef("service_id"))
        .order_by("order")
        .values(json=JSONObject(order="order", name="name"))
    )
    events = (
        RequestEvent.objects.filter(request=OuterRef("pk"), is_transition=True)
        .order_by("at", "pk")
        .values(
            json=JSONObject(
                at="at",
                to_status="to_status",
                kind="kind",
                step_order="step__order",
                step_name="step__name",
                note="note",
                public_note="public_note",
            )
        )
    )
    return (
        ServiceRequest.objects.filter(registration_key=registration_key)
        .values(*REQUEST_COLUMNS, timeline_steps=ArraySubquery(steps))
        .annotate(timeline_events=ArraySubquery(events))[:1]
    )


# Prepared once per database session (config/prepared.py): PostgreSQL spent 0.7 ms
# planning this query for every lookup, three times what running it took. Compiled once
# per process and database: compiling it was 4.6 of the 4.8 ms of CPU a lookup spent in
# Python (profiled, bench stack), and only the number changes between lookups.
_BY_NUMBER = PreparedQuery("alur_public_timeline", _by_number_query)


def public_timeline_by_number(registration_key: str) -> dict | None:
    """`public_timeline` of the request with this (typed) number, in one query; None
    when no request has it. Reads where the router sends public reads (a replica inside
    `config.dbrouters.public_read`)."""
    alias = router.db_for_read(ServiceRequest)
    found = _BY_NUMBER.fetchone(alias, key_of(registration_key))
    if found is None:
        return None
    row = dict(zip((*REQUEST_COLUMNS, "timeline_steps", "timeline_events"), found, strict=True))
    steps = [_json(step) for step in row["timeline_steps"]]
    events = [_json(event) for event in row["timeline_events"]]
    for event in events:
        event["at"] = datetime.datetime.fromisoformat(event["at"])
    return _timeline(row, steps, events, for_applicant=False)


def _json(value):
    return json.loads(value) if isinstance(value, str) else value


def public_timeline(request, *, for_applicant: bool = False) -> dict:
    """The timeline of a loaded request (its service's steps and its events prefetched
    as `selectors.request_by_number` does); `for_applicant` (their own page) shows the
    notes meant for them instead of only what staff published."""
    current = request.current_step
    row = {
        "registration_number": request.registration_number,
        "status": request.status,
        "submitted_at": request.submitted_at,
        "due_date": request.due_date,
        "completed_at": request.completed_at,
        "service__code": request.service.code,
        "service__name": request.service.name,
        "current_step__order": current.order if current else None,
        "current_step__name": current.name if current else None,
    }
    steps = [
        {"order": s.order, "name": s.name}
        for s in sorted(request.service.steps.all(), key=lambda s: s.order)
    ]
    events = [
        {
            "at": e.at,
            "to_status": e.to_status,
            "kind": e.kind,
            "step_order": e.step.order if e.step_id else None,
            "step_name": e.step.name if e.step_id else None,
            "note": e.note,
            "public_note": e.public_note,
        }
        for e in public_events(request)
    ]
    return _timeline(row, steps, events, for_applicant=for_applicant)


def public_events(request) -> list[RequestEvent]:
    events = getattr(request, "public_events", None)
    if events is None:
        events = [e for e in request.events.all() if e.is_transition]
    return sorted(events, key=lambda e: (e.at, e.pk))


def _timeline(row: dict, steps: list[dict], events: list[dict], *, for_applicant: bool) -> dict:
    """What anyone with the number may see: no personal data.

    {registration_number, service{code,name}, status, status_label, current_step
    {order,name}|None, steps[{order,name,state}], history[{at,status,status_label,kind,
    step{order,name}|None, note}] oldest first, submitted_at, due_date, completed_at}.
    """
    labels = dict(RequestStatus.choices)
    status, current = row["status"], row["current_step__order"]
    return {
        "registration_number": row["registration_number"],
        "service": {"code": row["service__code"], "name": row["service__name"]},
        "status": status,
        "status_label": str(labels[status]),
        "current_step": (
            {"order": current, "name": row["current_step__name"]} if current is not None else None
        ),
        "steps": [
            {
                "order": s["order"],
                "name": s["name"],
                "state": step_state(s["order"], status, current),
            }
            for s in steps
        ],
        "history": [
            {
                "at": e["at"],
                "status": e["to_status"],
                "status_label": str(labels.get(e["to_status"], e["to_status"])),
                "kind": e["kind"],
                "step": (
                    {"order": e["step_order"], "name": e["step_name"]}
                    if e["step_order"] is not None
                    else None
                ),
                # Free text written by people never reaches the public timeline: only the
                # note staff chose to publish (CONTRACT.md section 3). The applicant's own
                # page passes `for_applicant` to see the note meant for them.
                "note": (e["note"] if for_applicant else e["public_note"]) or None,
            }
            for e in events
        ],
        "submitted_at": row["submitted_at"],
        "due_date": row["due_date"],
        "completed_at": row["completed_at"],
    }
