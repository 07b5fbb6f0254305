"""Reads joining the daily log to the SKP's monthly rencana aksi (e-Kinerja: daily
progress picks a rencana aksi): what an entry may link to, the entries behind a plan's
realisation and the month's plans with their realisation and capaian."""

from dataclasses import dataclass
from decimal import Decimal

from django.db.models import BooleanField, Count, ExpressionWrapper, Q, QuerySet

from organization.models import Employee
from skp.models_realisation import RencanaAksi
from skp.selectors_realisation import (
    capaian_rencana_aksi,
    realisation_from_daily_log,
    rencana_aksi_for_month,
)

from .models import DailyLogEntry

HAS_EVIDENCE = ExpressionWrapper(
    ~Q(evidence_url="") | ~Q(evidence_file=""), output_field=BooleanField()
)


def plans_for_month(*, employee: Employee, year: int, month: int) -> QuerySet[RencanaAksi]:
    """What an entry of that month may be linked to (approved SKP, own, same month)."""
    return rencana_aksi_for_month(employee=employee, year=year, month=month).select_related(
        "skp__position__unit"
    )


def sums_daily_log(plans) -> bool:
    """Whether the office of these plans' SKP takes realisation as the sum of the daily
    log (the skp setting; one query)."""
    plans = list(plans)
    return bool(plans) and realisation_from_daily_log(plans[0].skp)


def plan_groups(plans) -> list[tuple[str, list[RencanaAksi]]]:
    """The plans grouped by RHK, in RHK order (the form's <optgroup>s)."""
    groups: dict[int, tuple[str, list]] = {}
    for ra in plans:
        groups.setdefault(ra.rhk_id, (ra.rhk.text, []))[1].append(ra)
    return list(groups.values())


def linked_entries(*, rencana_aksi_id: int) -> QuerySet[DailyLogEntry]:
    """The daily entries linked to one rencana aksi (lazy; `has_evidence` annotated), as
    skp.services_realisation.realisasi_from_daily_entries sums them."""
    return DailyLogEntry.objects.filter(rencana_aksi_id=rencana_aksi_id).annotate(
        has_evidence=HAS_EVIDENCE
    )


def plain(number: Decimal | None) -> str | None:
    """12.50 -> "12.5", 10.00 -> "10" (as the skp API writes quantities)."""
    return None if number is None else f"{number.normalize():f}"


@dataclass
class MonthPlan:
    rencana_aksi: RencanaAksi
    realisasi: Decimal | None
    capaian: Decimal
    entries: int

    @property
    def as_dict(self) -> dict:
        """The shape the monthly report freezes and its API returns."""
        ra = self.rencana_aksi
        return {
            "id": ra.pk,
            "rhk": ra.rhk.text,
            "text": ra.text,
            "target": plain(ra.target),
            "unit": ra.unit,
            "realisasi": plain(self.realisasi),
            "capaian": f"{self.capaian:.2f}",
            "entries": self.entries,
        }


def month_plans(*, employee: Employee, year: int, month: int) -> list[MonthPlan]:
    """The month's rencana aksi with their realisation, capaian (DOMAIN.md 2.3, the skp
    rule) and how many of the month's entries are linked to each. Two queries."""
    plans = list(
        plans_for_month(employee=employee, year=year, month=month).select_related("realisasi")
    )
    counts = (
        dict(
            DailyLogEntry.objects.filter(
                employee=employee, rencana_aksi__in=[ra.pk for ra in plans]
            )
            .values_list("rencana_aksi")
            .annotate(n=Count("pk"))
            .order_by()
        )
        if plans
        else {}
    )
    result = []
    for ra in plans:
        real = getattr(ra, "realisasi", None)
        result.append(
            MonthPlan(
                rencana_aksi=ra,
                realisasi=real.value if real else None,
                capaian=capaian_rencana_aksi(ra),
                entries=counts.get(ra.pk, 0),
            )
        )
    return result
