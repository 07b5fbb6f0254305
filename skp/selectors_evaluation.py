"""Reads of evaluation: an SKP's periods, the pejabat penilai's "to evaluate" list, the
unit's Laporan Predikat Kinerja, and whom to tell of a transition or a lock."""

import datetime
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from organization.models import STRUCTURAL_KINDS, Employee, Office, Position, StaffMembership, Unit
from organization.selectors import official_for_position

from .models import Skp, SkpStatus
from .models_evaluation import (
    Evaluation,
    EvaluationEvent,
    EvaluationStatus,
    OfficePerformanceSetting,
    PredikatFinalisation,
    UnitGrade,
)
from .models_lock import AllowanceAdmin, PeriodLock
from .rules import (
    Check,
    Granularity,
    Period,
    Predikat,
    distribution_checks,
    period_parse,
    periods_of_year,
)
from .selectors import employee_for_user, positions_acted_for, skp_reviewer
from .selectors_realisation import is_allowance_admin


def office_setting(*, office_id: int, year: int) -> OfficePerformanceSetting:
    """The office's choices for the year (quarterly evaluation, monthly payment when
    unset); unsaved when the office never chose."""
    setting = OfficePerformanceSetting.objects.filter(office_id=office_id, year=year).first()
    return setting or OfficePerformanceSetting(office_id=office_id, year=year)


def office_periods(*, office_id: int, year: int) -> list[Period]:
    """The office's evaluation periods of `year` (its granularity), then the annual one."""
    granularity = office_setting(office_id=office_id, year=year).granularity
    return periods_of_year(year, granularity or Granularity.QUARTERLY)


def office_period(*, office_id: int, code: str) -> Period | None:
    """`code` when it names one of the office's evaluation periods of its year, else None."""
    parsed = period_parse(code)
    if parsed is None:
        return None
    periods = office_periods(office_id=office_id, year=parsed.year)
    return next((p for p in periods if p.code == parsed.code), None)


def granularity_frozen(*, office_id: int, year: int) -> bool:
    """True once an evaluation of the office's `year` left `open` or has history (was
    submitted, then returned): its periods may no longer change."""
    return (
        Evaluation.objects.filter(skp__year=year, skp__position__unit__office_id=office_id)
        .filter(~Q(status=EvaluationStatus.OPEN) | Q(events__isnull=False))
        .exists()
    )


def skp_periods(*, skp: Skp) -> list[Period]:
    return office_periods(office_id=skp.position.unit.office_id, year=skp.year)


def skp_period(*, skp: Skp, code: str) -> Period | None:
    """`code` when it names one of the SKP's evaluation periods, else None."""
    parsed = period_parse(code)
    if parsed is None or parsed.year != skp.year:
        return None
    return office_period(office_id=skp.position.unit.office_id, code=parsed.code)


def evaluations_of(*, skp: Skp) -> list[tuple[Period, Evaluation]]:
    """Every period of the SKP's year with its evaluation (an unsaved open one where
    nothing happened yet). Two queries."""
    rows = {e.period: e for e in skp.evaluations.all()}
    return [
        (p, rows.get(p.code) or Evaluation(skp=skp, period=p.code, kind=p.kind))
        for p in skp_periods(skp=skp)
    ]


def evaluation_history(*, skp: Skp) -> QuerySet[EvaluationEvent]:
    return (
        EvaluationEvent.objects.filter(evaluation__skp=skp)
        .select_related("actor", "evaluation")
        .order_by("at", "id")
    )


def evaluations_to_rate(*, user, on: datetime.date) -> tuple[QuerySet[Evaluation], dict]:
    """Submitted evaluations whose owner's superior position `user` acts for on `on`,
    and the acting titles to label them with. Constant queries whatever the number."""
    employee = employee_for_user(user)
    if employee is None:
        return Evaluation.objects.none(), {}
    acted = positions_acted_for(employee=employee, on=on)
    qs = (
        Evaluation.objects.filter(
            status=EvaluationStatus.SUBMITTED, skp__position__superior_id__in=list(acted)
        )
        .exclude(skp__employee=employee)
        .select_related("skp__employee", "skp__position__unit")
        .order_by("submitted_at", "id")
    )
    return qs, acted


def configurable_offices(*, user) -> list[Office]:
    """Offices whose evaluation periods and allowance cadence `user` chooses: every office
    for a superuser, else those where they are the office administrator (role `admin`)
    or an allowance administrator."""
    if not user or not user.is_authenticated:
        return []
    qs = Office.objects.order_by("code")
    if user.is_superuser:
        return list(qs)
    admin_of = StaffMembership.objects.filter(user=user, role=StaffMembership.Role.ADMIN)
    return list(
        qs.filter(
            Q(pk__in=admin_of.values("unit__office_id"))
            | Q(pk__in=AllowanceAdmin.objects.filter(user=user).values("office_id"))
        )
    )


# --- units, leaders and who grades them ---------------------------------------------------


def unit_leader(*, unit: Unit, positions=None) -> Position | None:
    """The unit's leading position: the structural one whose superior sits outside the
    unit (Kepala Seksi of a seksi, Kepala Kantor of the office's TU unit)."""
    positions = positions if positions is not None else list(unit.positions.all())
    ids = {p.pk for p in positions}
    leaders = [
        p
        for p in positions
        if p.kind in STRUCTURAL_KINDS and (p.superior_id is None or p.superior_id not in ids)
    ]
    return leaders[0] if leaders else None


def leads_unit(position: Position) -> bool:
    return position.kind in STRUCTURAL_KINDS and (
        position.superior_id is None or position.superior.unit_id != position.unit_id
    )


def unit_grader(*, unit: Unit, on: datetime.date):
    """The head above: whoever acts on `on` for the superior of the unit's leader."""
    leader = unit_leader(unit=unit)
    if leader is None or leader.superior is None:
        return None
    return official_for_position(position=leader.superior, on=on)


def may_grade(*, user, unit: Unit, on: datetime.date) -> tuple[bool, str]:
    """(allowed, acting title) for setting the unit's grade and finalising its period."""
    if user.is_superuser:
        return True, ""
    grader = unit_grader(unit=unit, on=on)
    employee = employee_for_user(user)
    if grader is not None and employee is not None and grader.employee.pk == employee.pk:
        return True, grader.acting_as or ""
    return False, ""


def may_see_report(*, user, unit: Unit, on: datetime.date) -> bool:
    if may_grade(user=user, unit=unit, on=on)[0]:
        return True
    if is_allowance_admin(user=user, office_id=unit.office_id):
        return True
    leader = unit_leader(unit=unit)
    employee = employee_for_user(user)
    if leader is None or employee is None:
        return False
    official = official_for_position(position=leader, on=on)
    return official is not None and official.employee.pk == employee.pk


def unit_by_code(code: str, *, office: str | None = None) -> Unit | None | bool:
    """`OFFICE.unit` or a unit code (with `office`); False when a bare code is ambiguous."""
    if "." in (code or "") and not office:
        office, code = code.split(".", 1)
    qs = Unit.objects.select_related("office").filter(code=code)
    if office:
        qs = qs.filter(office__code=office)
    units = list(qs[:2])
    if len(units) > 1:
        return False
    return units[0] if units else None


# --- the Laporan Predikat Kinerja ----------------------------------------------------------


@dataclass
class ReportRow:
    skp: Skp
    evaluation: Evaluation | None

    @property
    def predikat(self) -> int | None:
        e = self.evaluation
        return (
            e.predikat
            if e and e.status in (EvaluationStatus.RATED, EvaluationStatus.LOCKED)
            else None
        )


@dataclass
class PredikatReport:
    unit: Unit
    period: Period
    grade: UnitGrade | None
    leader: Position | None
    rows: list[ReportRow]
    finalisation: PredikatFinalisation | None
    counts: dict[int, int] = field(default_factory=dict)
    checks: list[Check] = field(default_factory=list)

    @property
    def n(self) -> int:
        return sum(self.counts.values())

    @property
    def ok(self) -> bool:
        return self.grade is not None and all(c.ok for c in self.checks if c.hard)


def predikat_report(*, unit: Unit, period: Period) -> PredikatReport:
    """Counts per predikat of the unit's employees for `period` (the leader excluded:
    his rating follows the grade), the grade and the checks of DOMAIN.md 3.3. A
    constant number of queries whatever the unit's size."""
    positions = list(unit.positions.all())
    leader = unit_leader(unit=unit, positions=positions)
    grade = UnitGrade.objects.filter(unit=unit, period=period.code).first()
    skps = (
        Skp.objects.filter(year=period.year, status=SkpStatus.APPROVED, position__unit=unit)
        .exclude(position=leader)
        .select_related("employee", "position")
        .prefetch_related(
            Prefetch(
                "evaluations",
                queryset=Evaluation.objects.filter(period=period.code),
                to_attr="period_evaluations",
            )
        )
        .order_by("employee__name", "id")
    )
    rows = [ReportRow(skp, (skp.period_evaluations or [None])[0]) for skp in skps]
    counts = {p.value: 0 for p in Predikat}
    for row in rows:
        if row.predikat:
            counts[row.predikat] += 1
    checks = distribution_checks(grade=grade.grade, counts=counts) if grade else []
    finalisation = PredikatFinalisation.objects.filter(unit=unit, period=period.code).first()
    return PredikatReport(unit, period, grade, leader, rows, finalisation, counts, checks)


# --- audiences ------------------------------------------------------------------------------


def evaluation_event_audience(*, event: EvaluationEvent, on: datetime.date) -> list[Employee]:
    """The pejabat penilai of the day for a submission; the owner for a return or rating."""
    skp = event.evaluation.skp
    if event.action == EvaluationEvent.Action.SUBMITTED:
        reviewer = skp_reviewer(skp=skp, on=on)
        return [reviewer.employee] if reviewer else []
    if event.action in (EvaluationEvent.Action.RETURNED, EvaluationEvent.Action.RATED):
        return [skp.employee]
    return []


def period_lock_audience(*, lock: PeriodLock) -> list[Employee]:
    """Everyone affected by a locked month: the employees of the office with an
    approved SKP of that year."""
    return list(
        Employee.objects.filter(
            Q(skps__year=lock.year)
            & Q(skps__status=SkpStatus.APPROVED)
            & Q(skps__position__unit__office_id=lock.office_id)
        ).distinct()
    )
