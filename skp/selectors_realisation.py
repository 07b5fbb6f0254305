"""Reads of the year's work: rencana aksi of a month, capaian (DOMAIN.md 2.3 and 4), who
may see the realisation, which months are locked."""

import datetime
from decimal import Decimal

from django.conf import settings
from django.db.models import Prefetch, QuerySet

from organization.models import STRUCTURAL_KINDS, Position

from .models import Skp, SkpStatus
from .models_evaluation import OfficePerformanceSetting
from .models_lock import AllowanceAdmin, CapaianSnapshot, PeriodLock
from .models_realisation import BuktiDukung, RealisationSource, RencanaAksi, UmpanBalik
from .rules import capaian, capaian_capped, mean, period_parse
from .selectors import employee_for_user, skp_reviewer


def rencana_aksi_for_month(*, employee, year: int, month: int) -> QuerySet[RencanaAksi]:
    """The month's rencana aksi of `employee` under their approved SKP of `year`, in
    RHK order: what a daily activity log entry may be linked to."""
    return (
        RencanaAksi.objects.filter(
            skp__employee=employee,
            skp__year=year,
            skp__status=SkpStatus.APPROVED,
            month=month,
        )
        .select_related("rhk")
        .order_by("rhk__order", "rhk_id", "id")
    )


def realisation_source(*, office_id: int, year: int) -> str:
    """The office's choice for the year (RealisationSource; manual entry when unset)."""
    source = (
        OfficePerformanceSetting.objects.filter(office_id=office_id, year=year)
        .values_list("realisation_source", flat=True)
        .first()
    )
    return source or RealisationSource.MANUAL


def realisation_from_daily_log(skp: Skp) -> bool:
    return (
        realisation_source(office_id=office_id_of(skp), year=skp.year)
        == RealisationSource.DAILY_LOG
    )


# --- locks -----------------------------------------------------------------------------------


def office_id_of(skp: Skp) -> int:
    return skp.position.unit.office_id


def locked_months(*, office_id: int, year: int) -> set[int]:
    return set(
        PeriodLock.objects.filter(
            office_id=office_id, year=year, status=PeriodLock.Status.LOCKED
        ).values_list("month", flat=True)
    )


def month_lock(*, office_id: int, year: int, month: int) -> PeriodLock | None:
    return PeriodLock.objects.filter(
        office_id=office_id, year=year, month=month, status=PeriodLock.Status.LOCKED
    ).first()


def is_allowance_admin(*, user, office_id: int) -> bool:
    return AllowanceAdmin.objects.filter(user=user, office_id=office_id).exists()


def allowance_offices(*, user) -> list:
    return [a.office for a in AllowanceAdmin.objects.filter(user=user).select_related("office")]


# --- who sees it -----------------------------------------------------------------------------


def realisation_visible_to(*, skp: Skp, user, on: datetime.date) -> bool:
    """The owner, the pejabat penilai of the day and HR (superusers and the office's
    allowance administrators). Evidence files are as private."""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser or is_allowance_admin(user=user, office_id=office_id_of(skp)):
        return True
    employee = employee_for_user(user)
    if employee is None:
        return False
    if skp.employee_id == employee.pk:
        return True
    reviewer = skp_reviewer(skp=skp, on=on)
    return reviewer is not None and reviewer.employee.pk == employee.pk


# --- the month's sheet -------------------------------------------------------------------------


def rencana_aksi_sheet(*, skp: Skp, month: int) -> list[RencanaAksi]:
    """The month's rencana aksi with realisasi and evidence (three queries)."""
    return list(
        RencanaAksi.objects.filter(skp=skp, month=month)
        .select_related("realisasi", "rhk")
        .prefetch_related(
            Prefetch("bukti_dukung", queryset=BuktiDukung.objects.order_by("uploaded_at", "id"))
        )
        .order_by("rhk__order", "rhk_id", "id")
    )


def feedback_for(*, skp: Skp, periods: list[str] | None = None) -> list[UmpanBalik]:
    """The SKP's feedback, oldest first, each labelled with its period's name (one query:
    author and position are stored on the row)."""
    qs = UmpanBalik.objects.filter(skp=skp).order_by("at", "id")
    if periods is not None:
        qs = qs.filter(period__in=periods)
    rows = list(qs)
    for row in rows:
        parsed = period_parse(row.period)
        row.period_label = parsed.label if parsed else row.period
    return rows


def skp_timeline(*, events, feedback: list[UmpanBalik]) -> list:
    """The SKP's history tab: its planning events and the penilai's feedback in one
    list by time; feedback rows carry `is_feedback`."""
    for row in feedback:
        row.is_feedback = True
    return sorted(
        [*events, *feedback],
        key=lambda item: (item.at, getattr(item, "is_feedback", False), item.pk),
    )


# --- capaian ----------------------------------------------------------------------------------


def capaian_rencana_aksi(ra: RencanaAksi, *, rounded: bool = True) -> Decimal:
    realisasi = getattr(ra, "realisasi", None)
    value = realisasi.value if realisasi else None
    if rounded:
        return capaian(realisasi=value, target=ra.target)
    return capaian_capped(realisasi=value, target=ra.target)


def own_capaian_by_skp(*, skp_ids, month: int) -> dict[int, Decimal]:
    """capaian_pegawai(month) from each SKP's own rencana aksi: the mean of their capaian
    (no realisasi counts 0). SKPs with no plan that month are absent. One query."""
    per_skp: dict[int, list[Decimal]] = {}
    for ra in RencanaAksi.objects.filter(skp_id__in=list(skp_ids), month=month).select_related(
        "realisasi"
    ):
        per_skp.setdefault(ra.skp_id, []).append(capaian_rencana_aksi(ra, rounded=False))
    return {skp_id: mean(values) for skp_id, values in per_skp.items()}


def _include_non_structural() -> bool:
    return getattr(settings, "SKP_HEAD_INCLUDES_NON_STRUCTURAL", False)


def head_capaian(*, position: Position, year: int, month: int, _seen=None) -> Decimal | None:
    """DOMAIN.md 4: the mean of the direct structural subordinates' capaian for `month`.
    A subordinate counts with an approved SKP for `year` and a plan that month; a
    sub-head contributes its own derived figure. None ("–") when nobody counts.
    Queries per level of the tree, not per subordinate."""
    seen = (_seen or set()) | {position.pk}
    subordinates = Position.objects.filter(superior=position).exclude(pk__in=seen)
    if not _include_non_structural():
        subordinates = subordinates.filter(kind__in=STRUCTURAL_KINDS)
    subordinates = list(subordinates)
    skps = {}
    for skp in (
        Skp.objects.filter(position__in=subordinates, year=year, status=SkpStatus.APPROVED)
        .order_by("position_id", "approved_at", "id")
        .only("id", "position_id")
    ):
        skps[skp.position_id] = skp.pk  # the latest approved SKP of the position
    own = own_capaian_by_skp(skp_ids=skps.values(), month=month)
    values = []
    for sub in subordinates:
        if sub.pk not in skps:
            continue  # vacant or no approved SKP: out of the denominator
        if sub.is_head:
            value = head_capaian(position=sub, year=year, month=month, _seen=seen)
        else:
            value = own.get(skps[sub.pk])
        if value is not None:
            values.append(value)
    return mean(values)


def capaian_pegawai(*, skp: Skp, month: int) -> Decimal | None:
    """The employee's capaian for `month`: frozen in the lock's snapshot once the month is
    locked; a head position's is the subordinates' mean; else the own rencana aksi's."""
    snapshot = (
        CapaianSnapshot.objects.filter(
            skp=skp, lock__status=PeriodLock.Status.LOCKED, lock__month=month
        )
        .values_list("capaian_pegawai", flat=True)
        .first()
    )
    if snapshot is not None or _locked(skp, month):
        return snapshot
    return capaian_live(skp=skp, month=month)


def capaian_live(*, skp: Skp, month: int) -> Decimal | None:
    """The figure computed from today's data (what a lock freezes)."""
    if skp.position.is_head:
        return head_capaian(position=skp.position, year=skp.year, month=month)
    return own_capaian_by_skp(skp_ids=[skp.pk], month=month).get(skp.pk)


def _locked(skp: Skp, month: int) -> bool:
    return month_lock(office_id=office_id_of(skp), year=skp.year, month=month) is not None


def capaian_of_months(*, skp: Skp, months) -> Decimal | None:
    """A quarter's (or semester's, year's) figure: the mean of the monthly figures."""
    values = [capaian_pegawai(skp=skp, month=m) for m in months]
    return mean(v for v in values if v is not None)
