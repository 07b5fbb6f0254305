"""Business actions on SKP. Keyword-only, the actor explicit, one transaction each.

Every action that changes the status writes one SkpEvent in its transaction, announces
it there with `skp.signals.skp_transition_recorded` and, once committed, with
`skp.signals.skp_transitioned`.
"""

import datetime

from django.db import IntegrityError, transaction
from django.db.models import Count, Max
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed, can_proceed

from config.exceptions import ApplicationError, Conflict, Forbidden
from organization.models import Employee
from organization.selectors import Official, positions_held

from .models import (
    EDITABLE_STATUSES,
    BehaviourExpectation,
    CoreValue,
    Indicator,
    Rhk,
    Skp,
    SkpEvent,
    SkpStatus,
)
from .selectors import employee_for_user, skp_reviewer
from .signals import skp_transition_recorded, skp_transitioned

MIN_YEAR, MAX_YEAR = 2000, 2100


# --- helpers ---------------------------------------------------------------------------


def _employee_of(user) -> Employee:
    employee = employee_for_user(user)
    if employee is None:
        raise Forbidden(_("Your account is not linked to an employee."))
    return employee


def _lock(skp: Skp) -> Skp:
    """The SKP row, re-read under SELECT ... FOR UPDATE (call inside atomic())."""
    return (
        Skp.objects.select_for_update(of=("self",))
        .select_related("employee", "position", "position__unit", "position__superior")
        .get(pk=skp.pk)
    )


def _lock_for_editing(skp: Skp, user) -> Skp:
    """Lock `skp` and check that `user` owns it and it is still editable."""
    employee = _employee_of(user)
    skp = _lock(skp)
    if skp.employee_id != employee.pk:
        raise Forbidden(_("Only the owner may change this SKP."))
    if skp.status not in EDITABLE_STATUSES:
        raise Conflict(_("This SKP can only be changed while it is a draft or returned."))
    return skp


def _lock_for_review(skp: Skp, user, *, today: datetime.date) -> tuple[Skp, Official]:
    """Lock `skp` and check that `user` acts today for the owner's superior position."""
    employee = _employee_of(user)
    skp = _lock(skp)
    if skp.employee_id == employee.pk:
        raise Forbidden(_("Nobody may validate their own SKP."))
    reviewer = skp_reviewer(skp=skp, on=today)
    if reviewer is None or reviewer.employee.pk != employee.pk:
        raise Forbidden(
            _(
                "Only whoever acts for the owner's superior position today (the PLT/PLH in "
                "force, else the definitive holder) may validate this SKP."
            )
        )
    return skp, reviewer


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
    employee = _employee_of(user)
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
    skp = _lock_for_editing(skp, user)
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
    skp, reviewer = _lock_for_review(skp, user, today=timezone.localdate())
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
    skp, reviewer = _lock_for_review(skp, user, today=timezone.localdate())
    from_status = skp.status
    _check_can(skp, "return_for_revision")
    note = _require_note(note)
    _transition(skp, "return_for_revision")
    _save_transition(skp, [])
    _record(
        skp=skp,
        action=SkpEvent.Action.RETURNED,
        user=user,
        from_status=from_status,
        note=note,
        acting_as=reviewer.acting_as,
    )
    return skp


@transaction.atomic
def skp_reopen(*, skp: Skp, user, note: str) -> Skp:
    """The revision path of an approved SKP: the pejabat penilai of the day reopens it
    (approved -> returned) with a note; the owner revises and submits again."""
    skp, reviewer = _lock_for_review(skp, user, today=timezone.localdate())
    from_status = skp.status
    _check_can(skp, "reopen")
    note = _require_note(note)
    _transition(skp, "reopen")
    _save_transition(skp, ["approved_at"])
    _record(
        skp=skp,
        action=SkpEvent.Action.REOPENED,
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
    skp, _reviewer = _lock_for_review(skp, user, today=timezone.localdate())
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


# --- RHK and indicators ----------------------------------------------------------------


def _check_parent_rhk(skp: Skp, parent_rhk: Rhk | None) -> None:
    if parent_rhk is None:
        return
    superior_id = skp.position.superior_id
    parent_skp = parent_rhk.skp
    if superior_id is None or parent_skp.position_id != superior_id or parent_skp.year != skp.year:
        raise ApplicationError(
            field_errors={
                "parent_rhk": [
                    _("Choose an RHK of your superior position's SKP for the same year.")
                ]
            }
        )


@transaction.atomic
def rhk_create(
    *, skp: Skp, user, text: str, kind: str = Rhk.Kind.MAIN, parent_rhk: Rhk | None = None
) -> Rhk:
    skp = _lock_for_editing(skp, user)
    _check_parent_rhk(skp, parent_rhk)
    last = skp.rhks.aggregate(m=Max("order"))["m"]
    rhk = Rhk(
        skp=skp,
        text=(text or "").strip(),
        kind=kind,
        parent_rhk=parent_rhk,
        order=(last or 0) + 1,
    )
    rhk.full_clean()
    rhk.save()
    return rhk


RHK_FIELDS = {"text", "kind", "parent_rhk", "order"}


@transaction.atomic
def rhk_update(*, rhk: Rhk, user, data: dict) -> Rhk:
    """Change `data`'s fields (text, kind, parent_rhk, order) of an RHK."""
    _lock_for_editing(rhk.skp, user)
    rhk = Rhk.objects.select_related("skp__position").get(pk=rhk.pk)
    fields = [f for f in data if f in RHK_FIELDS]
    if "parent_rhk" in data:
        _check_parent_rhk(rhk.skp, data["parent_rhk"])
    for f in fields:
        value = data[f]
        setattr(rhk, f, value.strip() if isinstance(value, str) else value)
    rhk.full_clean()
    if fields:
        rhk.save(update_fields=fields)
    return rhk


@transaction.atomic
def rhk_delete(*, rhk: Rhk, user) -> None:
    _lock_for_editing(rhk.skp, user)
    rhk.delete()


INDICATOR_FIELDS = {"text", "target", "unit", "aspect"}


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _check_indicator_name(indicator: Indicator) -> None:
    """M-SKP: indicators with the same name were hidden and had to be cross-checked;
    here one RHK simply cannot have two indicators of the same name."""
    others = (
        Indicator.objects.filter(rhk_id=indicator.rhk_id)
        .exclude(pk=indicator.pk)
        .values_list("text", flat=True)
    )
    if any(_same_name(indicator.text, other) for other in others):
        raise ApplicationError(
            field_errors={"text": [_("This RHK already has an indicator with that name.")]}
        )


@transaction.atomic
def indicator_create(
    *, rhk: Rhk, user, text: str, target: str, unit: str, aspect: str = Indicator.Aspect.QUANTITY
) -> Indicator:
    _lock_for_editing(rhk.skp, user)
    indicator = Indicator(
        rhk=rhk,
        text=(text or "").strip(),
        target=(target or "").strip(),
        unit=(unit or "").strip(),
        aspect=aspect,
    )
    indicator.full_clean()
    _check_indicator_name(indicator)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, user, data: dict) -> Indicator:
    _lock_for_editing(indicator.rhk.skp, user)
    indicator = Indicator.objects.get(pk=indicator.pk)
    fields = [f for f in data if f in INDICATOR_FIELDS]
    for f in fields:
        value = data[f]
        setattr(indicator, f, value.strip() if isinstance(value, str) else value)
    indicator.full_clean()
    _check_indicator_name(indicator)
    if fields:
        indicator.save(update_fields=fields)
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, user) -> None:
    _lock_for_editing(indicator.rhk.skp, user)
    indicator.delete()
