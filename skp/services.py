"""Business actions on SKP. Keyword-only, the actor explicit, one transaction each.

Every action that changes the status writes one SkpEvent in its transaction, announces
it there with `skp.signals.skp_transition_recorded` and, once committed, with
`skp.signals.skp_transitioned`.
"""

from django.db import IntegrityError, transaction
from django.db.models import Count
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from config.exceptions import ApplicationError, Conflict
from organization.selectors import Official, positions_held

from .models import (
    BehaviourExpectation,
    CoreValue,
    Skp,
    SkpEvent,
    SkpStatus,
)
from .selectors import employee_required, skp_reviewer
from .services_guards import lock_for_editing, lock_for_penilai

# The plan (RHK and indicators) has its own module; callers keep importing it from here.
from .services_rhk import (  # noqa: F401
    INDICATOR_FIELDS,
    RHK_FIELDS,
    indicator_create,
    indicator_delete,
    indicator_update,
    rhk_create,
    rhk_delete,
    rhk_update,
)
from .signals import skp_transition_recorded, skp_transitioned

MIN_YEAR, MAX_YEAR = 2000, 2100


# --- helpers ---------------------------------------------------------------------------


def _require_note(note: str) -> str:
    note = (note or "").strip()
    if not note:
        raise ApplicationError(field_errors={"note": [_("A note is required.")]})
    return note


def _penilai_snapshot(reviewer: Official) -> dict:
    return {
        "penilai": reviewer.employee,
        "penilai_name": reviewer.employee.name,
        "penilai_nip": reviewer.employee.nip,
        "penilai_position_name": reviewer.acting_as or reviewer.position.name,
        "penilai_unit_name": reviewer.position.unit.name,
    }


def _not_now(skp: Skp) -> Conflict:
    return Conflict(
        _("This SKP is %(status)s: that action is not possible now.")
        % {"status": skp.get_status_display()}
    )


def _check_can(skp: Skp, method: str) -> None:
    if not can_proceed(getattr(skp, method)):
        raise _not_now(skp)


def _transition(skp: Skp, method: str, **kwargs) -> None:
    try:
        getattr(skp, method)(**kwargs)
    except TransitionNotAllowed as exc:
        raise _not_now(skp) from exc


def _save_transition(skp: Skp, fields: list[str]) -> None:
    try:
        skp.save(update_fields=["status", *fields])
    except ConcurrentTransition as exc:
        raise Conflict(_("Someone else changed this SKP at the same time.")) from exc


def _record(
    *, skp: Skp, action: str, user, from_status: str, note: str = "", acting_as: str = ""
) -> SkpEvent:
    event = SkpEvent.objects.create(
        skp=skp,
        action=action,
        actor=user,
        acting_as=acting_as or "",
        from_status=from_status,
        to_status=skp.status,
        note=note,
        at=timezone.now(),
    )
    if action != SkpEvent.Action.CREATED:
        skp_transition_recorded.send(sender=Skp, skp=skp, event=event)
        skp_id, event_id = skp.pk, event.pk
        transaction.on_commit(
            lambda: skp_transitioned.send(
                sender=Skp, skp_id=skp_id, event_id=event_id, action=action
            )
        )
    return event


# --- the SKP itself ------------------------------------------------------------------


@transaction.atomic
def skp_create(*, user, year: int) -> Skp:
    """A draft SKP for `user`'s employee and `year`, for the position they hold today.
    One per employee per year (Conflict for a second)."""
    employee = employee_required(user)
    if not isinstance(year, int) or not MIN_YEAR <= year <= MAX_YEAR:
        raise ApplicationError(
            field_errors={
                "year": [
                    _("Enter a year between %(min)d and %(max)d.")
                    % {"min": MIN_YEAR, "max": MAX_YEAR}
                ]
            }
        )
    if Skp.objects.filter(employee=employee, year=year).exists():
        raise Conflict(_("You already have an SKP for %(year)d.") % {"year": year})
    positions = positions_held(employee=employee, on=timezone.localdate())
    if not positions:
        raise ApplicationError(_("You hold no definitive position today, so no SKP can be made."))
    skp = Skp(employee=employee, year=year, position=positions[0])
    try:
        with transaction.atomic():
            skp.save()
    except IntegrityError as exc:
        raise Conflict(_("You already have an SKP for %(year)d.") % {"year": year}) from exc
    _record(skp=skp, action=SkpEvent.Action.CREATED, user=user, from_status="")
    return skp


@transaction.atomic
def skp_submit(*, skp: Skp, user) -> Skp:
    """Owner only, from draft/returned. Needs RHK, each with an indicator, and a
    pejabat penilai today. Takes the snapshot of both people."""
    skp = lock_for_editing(skp, user)
    rhks = list(skp.rhks.annotate(indicator_count=Count("indicators")))
    if not rhks:
        raise ApplicationError(_("Add at least one RHK with an indicator before submitting."))
    without = [r for r in rhks if not r.indicator_count]
    if without:
        raise ApplicationError(
            _("Every RHK needs at least one indicator; missing for: %(rhk)s")
            % {"rhk": "; ".join(r.text[:60] for r in without)}
        )
    if skp.position.superior is None:
        raise ApplicationError(
            _("Your position has no superior position, so the SKP has no pejabat penilai.")
        )
    today = timezone.localdate()
    reviewer = skp_reviewer(skp=skp, on=today)
    if reviewer is None:
        raise ApplicationError(
            _("Your superior position is vacant today and has no PLT/PLH to validate the SKP.")
        )
    from_status = skp.status
    employee = skp.employee
    _transition(
        skp,
        "submit",
        at=timezone.now(),
        employee_snapshot={
            "employee_name": employee.name,
            "employee_nip": employee.nip,
            "position_name": skp.position.name,
            "unit_name": skp.position.unit.name,
        },
        penilai_snapshot=_penilai_snapshot(reviewer),
    )
    _save_transition(skp, list(SNAPSHOT_FIELDS) + ["submitted_at"])
    _record(skp=skp, action=SkpEvent.Action.SUBMITTED, user=user, from_status=from_status)
    return skp


SNAPSHOT_FIELDS = (
    "employee_name",
    "employee_nip",
    "position_name",
    "unit_name",
    "penilai",
    "penilai_name",
    "penilai_nip",
    "penilai_position_name",
    "penilai_unit_name",
)
PENILAI_FIELDS = SNAPSHOT_FIELDS[4:]


@transaction.atomic
def skp_approve(*, skp: Skp, user, note: str = "") -> Skp:
    """Only whoever acts today for the owner's superior position; final for the year
    (see `skp_reopen`). The approver's identity is taken again."""
    skp, reviewer = lock_for_penilai(skp, user, on=timezone.localdate())
    from_status = skp.status
    _transition(skp, "approve", at=timezone.now(), penilai_snapshot=_penilai_snapshot(reviewer))
    _save_transition(skp, [*PENILAI_FIELDS, "approved_at"])
    _record(
        skp=skp,
        action=SkpEvent.Action.APPROVED,
        user=user,
        from_status=from_status,
        note=(note or "").strip(),
        acting_as=reviewer.acting_as,
    )
    return skp


@transaction.atomic
def skp_return(*, skp: Skp, user, note: str) -> Skp:
    """Send a submitted SKP back to its owner for revision; the note says what to fix."""
    return _sent_back(skp, user, note, "return_for_revision", [], SkpEvent.Action.RETURNED)


@transaction.atomic
def skp_reopen(*, skp: Skp, user, note: str) -> Skp:
    """The revision path of an approved SKP: the pejabat penilai of the day reopens it
    (approved -> returned) with a note; the owner revises and submits again."""
    return _sent_back(skp, user, note, "reopen", ["approved_at"], SkpEvent.Action.REOPENED)


def _sent_back(skp: Skp, user, note: str, transition: str, fields: list, action) -> Skp:
    """The penilai of the day sends the SKP back to its owner, saying why (return, reopen)."""
    skp, reviewer = lock_for_penilai(skp, user, on=timezone.localdate())
    from_status = skp.status
    _check_can(skp, transition)
    note = _require_note(note)
    _transition(skp, transition)
    _save_transition(skp, fields)
    _record(
        skp=skp,
        action=action,
        user=user,
        from_status=from_status,
        note=note,
        acting_as=reviewer.acting_as,
    )
    return skp


@transaction.atomic
def skp_expectation_set(*, skp: Skp, user, core_value: str, text: str) -> None:
    """The pejabat penilai's specific expectation for one BerAKHLAK value (blank text
    removes it). Not once the SKP is approved."""
    skp, _reviewer = lock_for_penilai(skp, user, on=timezone.localdate())
    if skp.status == SkpStatus.APPROVED:
        raise Conflict(_("An approved SKP cannot be changed."))
    if core_value not in CoreValue.values:
        raise ApplicationError(field_errors={"core_value": [_("Unknown core value.")]})
    text = (text or "").strip()
    if not text:
        BehaviourExpectation.objects.filter(skp=skp, core_value=core_value).delete()
        return
    BehaviourExpectation.objects.update_or_create(
        skp=skp, core_value=core_value, defaults={"text": text}
    )
