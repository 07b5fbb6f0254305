"""Payment-period locks (DOMAIN.md 5): lock, unlock, and the one guard every write into a
month calls. Keyword-only, the actor explicit, one transaction each."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.exceptions import ApplicationError, Conflict, Forbidden
from organization.models import Office

from .models import Skp, SkpStatus
from .models_evaluation import EvaluationStatus, PaymentCadence
from .models_lock import CapaianSnapshot, PeriodLock, PeriodLockEvent
from .rules import period_parse
from .selectors_evaluation import office_setting
from .selectors_realisation import capaian_live, is_allowance_admin, office_id_of
from .signals import period_lock_recorded


def _locked_conflict(year: int, months) -> Conflict:
    months = sorted(months)
    shown = ", ".join(f"{year}-{m:02d}" for m in months)
    return Conflict(
        _(
            "The period is locked (periode terkunci): %(months)s has been paid and can no "
            "longer be changed. Ask the allowance administrator of the office above to "
            "unlock it."
        )
        % {"months": shown}
    )


ADVISORY_NAMESPACE = 0x534B50  # "SKP": keeps these keys apart from other advisory locks


def _serialise(office_id: int, year: int, months, *, shared: bool) -> None:
    """Transaction-level PostgreSQL advisory locks on (office, year, month), taken in
    month order: writes into a month share it, locking a month takes it exclusively. So a
    write racing the first lock of a month (no PeriodLock row for FOR UPDATE to wait on
    yet) either commits before the lock's snapshot is read, or waits and then gets 409.
    A key collision only makes unrelated writes wait. Other databases (the SQLite of
    `make run`) let one writer in at a time anyway."""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock_shared" if shared else "pg_advisory_xact_lock"
    with connection.cursor() as cursor:
        for month in sorted(months):
            key = ((office_id * 10000 + year) * 12 + month - 1) % 2**31
            cursor.execute(f"SELECT {function}(%s::int, %s::int)", [ADVISORY_NAMESPACE, key])


def month_guard(*, skp: Skp, months, wholly: bool = False) -> None:
    """Refuse (409) a write into locked months of `skp`'s office. `wholly`: refuse only
    when every one of `months` is locked (ratings and feedback of a quarter, DOMAIN.md 5);
    else when any is. Call inside the write's transaction: the lock rows are read FOR
    UPDATE, so a write waits for a lock being taken and then sees it; and a month's
    advisory lock is shared, so a write also waits for a month's *first* lock, which has
    no row to lock yet (see `_serialise`)."""
    months = set(months)
    _serialise(office_id_of(skp), skp.year, months, shared=True)
    locked = set(
        PeriodLock.objects.select_for_update()
        .filter(
            office_id=office_id_of(skp),
            year=skp.year,
            month__in=months,
            status=PeriodLock.Status.LOCKED,
        )
        .values_list("month", flat=True)
    )
    if (wholly and locked == months) or (not wholly and locked):
        raise _locked_conflict(skp.year, locked)


def _may_lock(user, office: Office) -> bool:
    return user.is_superuser or is_allowance_admin(user=user, office_id=office.pk)


def _may_unlock(user, office: Office) -> bool:
    """The level above (the parent office's allowance administrators) or a superuser."""
    if user.is_superuser:
        return True
    return office.parent_id is not None and is_allowance_admin(
        user=user, office_id=office.parent_id
    )


def _predikat_covering(skp: Skp, month: int) -> tuple[int | None, str]:
    """The predikat of the shortest rated period covering `month` (month, then quarter,
    semester), else none."""
    best = None
    for evaluation in skp.evaluations.filter(
        status__in=[EvaluationStatus.RATED, EvaluationStatus.LOCKED]
    ):
        period = period_parse(evaluation.period)
        if (
            period
            and period.kind != "annual"
            and month in period.months
            and (best is None or len(period.months) < len(period_parse(best.period).months))
        ):
            best = evaluation
    return (best.predikat, best.period) if best else (None, "")


def _snapshot(lock: PeriodLock) -> int:
    """Freeze every approved SKP's figures of the office's month (replacing an older
    snapshot of a relocked month)."""
    lock.snapshots.all().delete()
    skps = Skp.objects.filter(
        year=lock.year, status=SkpStatus.APPROVED, position__unit__office=lock.office
    ).select_related("employee", "position", "position__unit")
    rows = []
    for skp in skps:
        predikat, predikat_period = _predikat_covering(skp, lock.month)
        rows.append(
            CapaianSnapshot(
                lock=lock,
                skp=skp,
                employee=skp.employee,
                employee_name=skp.employee_name or skp.employee.name,
                employee_nip=skp.employee_nip or skp.employee.nip,
                position_name=skp.position_name or skp.position.name,
                unit_name=skp.unit_name or skp.position.unit.name,
                capaian_pegawai=capaian_live(skp=skp, month=lock.month),
                is_head=skp.position.is_head,
                predikat=predikat,
                predikat_period=predikat_period,
            )
        )
    CapaianSnapshot.objects.bulk_create(rows)
    return len(rows)


def months_of(*, month: int | None, quarter: int | None) -> list[int]:
    if (month is None) == (quarter is None):
        raise ApplicationError(_("Give either a month (1-12) or a quarter (1-4)."))
    if month is not None:
        if not 1 <= month <= 12:
            raise ApplicationError(field_errors={"month": [_("Enter a month from 1 to 12.")]})
        return [month]
    if not 1 <= quarter <= 4:
        raise ApplicationError(field_errors={"quarter": [_("Enter a quarter from 1 to 4.")]})
    return [3 * quarter - 2, 3 * quarter - 1, 3 * quarter]


@transaction.atomic
def period_lock(
    *,
    user,
    office: Office,
    year: int,
    month: int | None = None,
    quarter: int | None = None,
    payment_ref: str = "",
) -> list[PeriodLock]:
    """Lock a paid month (or, where the office pays quarterly that year, the three months
    of a quarter) of `office`: snapshot the figures, write a history row per month, tell
    everyone affected. All or nothing: 409 if any of the months is already locked."""
    if not _may_lock(user, office):
        raise Forbidden(_("Only the office's allowance administrators may lock its months."))
    if not 2000 <= year <= 2100:
        raise ApplicationError(field_errors={"year": [_("Enter a year between 2000 and 2100.")]})
    months = months_of(month=month, quarter=quarter)
    cadence = office_setting(office_id=office.pk, year=year).payment_cadence
    if quarter is not None and cadence == PaymentCadence.MONTHLY:
        raise ApplicationError(
            field_errors={
                "quarter": [
                    _(
                        "%(office)s pays its allowance monthly in %(year)d: lock one month at "
                        "a time (the office's administrator chooses the cadence in the SKP "
                        "settings)."
                    )
                    % {"office": office.code, "year": year}
                ]
            }
        )
    _serialise(office.pk, year, months, shared=False)  # waits for writes under way
    payment_ref = (payment_ref or "").strip()[:100]
    now = timezone.now()
    locks, events = [], []
    for m in months:
        lock, _created = PeriodLock.objects.select_for_update().get_or_create(
            office=office, year=year, month=m, defaults={"status": PeriodLock.Status.OPEN}
        )
        if lock.status == PeriodLock.Status.LOCKED:
            raise Conflict(
                _("%(year)d-%(month)02d is already locked.") % {"year": year, "month": m}
            )
        lock.status, lock.locked_at, lock.locked_by = PeriodLock.Status.LOCKED, now, user
        lock.payment_ref = payment_ref
        lock.save(update_fields=["status", "locked_at", "locked_by", "payment_ref"])
        event = PeriodLockEvent.objects.create(
            lock=lock, action=PeriodLockEvent.Action.LOCKED, actor=user, payment_ref=payment_ref
        )
        _snapshot(lock)
        locks.append(lock)
        events.append(event)
    # One announcement per lock action: a quarter's three months are one payment.
    period = f"{year}-Q{quarter}" if quarter is not None else f"{year}-{months[0]:02d}"
    period_lock_recorded.send(sender=PeriodLock, lock=locks[0], event=events[0], period=period)
    return locks


@transaction.atomic
def period_unlock(*, user, lock: PeriodLock, reason: str) -> PeriodLock:
    """Reopen a locked month: the level above or a superuser, with a reason, kept in the
    history. The owner and the pejabat penilai never can."""
    lock = PeriodLock.objects.select_for_update().select_related("office").get(pk=lock.pk)
    if not _may_unlock(user, lock.office):
        raise Forbidden(
            _(
                "Only the allowance administrators of the office above (or a system "
                "administrator) may unlock a month."
            )
        )
    reason = (reason or "").strip()
    if not reason:
        raise ApplicationError(field_errors={"reason": [_("A reason is required.")]})
    if lock.status != PeriodLock.Status.LOCKED:
        raise Conflict(_("This month is not locked."))
    lock.status, lock.reason = PeriodLock.Status.OPEN, reason
    lock.save(update_fields=["status", "reason"])
    PeriodLockEvent.objects.create(
        lock=lock, action=PeriodLockEvent.Action.UNLOCKED, actor=user, reason=reason
    )
    return lock
