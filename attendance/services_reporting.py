"""Business actions on the daily log and the monthly report (submitted to the supervisor,
approved or returned). Keyword-only, the actor explicit, one transaction each."""

import datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, can_proceed

from config.exceptions import ApplicationError, Conflict, Forbidden
from organization.models import Employee
from skp.selectors import employee_required
from skp.services_realisation import realisasi_from_daily_entries

from . import selectors, selectors_plans
from .models import DailyLogEntry, MonthlyReport, ReportStatus

# --- daily log ------------------------------------------------------------------------


def _check_entry(entry: DailyLogEntry, today: datetime.date) -> None:
    errors = {}
    if entry.date and entry.date > today:
        errors["date"] = [_("The day has not come yet.")]
    if entry.start and entry.end and entry.end <= entry.start:
        errors["end"] = [_("The end is not after the start.")]
    try:
        entry.full_clean(exclude=["employee"])
    except ValidationError as exc:
        for key, messages in exc.message_dict.items():
            errors.setdefault(key, messages)
    if errors:
        raise ApplicationError(field_errors=errors)


def _month_open(employee: Employee, date: datetime.date) -> None:
    report = MonthlyReport.objects.filter(
        employee=employee, year=date.year, month=date.month
    ).first()
    if report is not None and report.status != ReportStatus.RETURNED:
        raise Conflict(_("The monthly report of this month is already submitted."))


DAILY_LOG_FIELDS = ("date", "start", "end", "activity", "quantity", "unit", "evidence_url")
TEXT_FIELDS = ("activity", "unit", "evidence_url")


def _link(entry: DailyLogEntry, plan_id) -> None:
    """Link the entry to `plan_id`: a rencana aksi of the employee's own approved SKP and
    of the entry's month, or nothing (None/empty). 400 naming `rencana_aksi` otherwise."""
    if plan_id in (None, ""):
        entry.rencana_aksi = None
        return
    plan = None
    if entry.date and str(plan_id).isdigit():
        plan = (
            selectors_plans.plans_for_month(
                employee=entry.employee, year=entry.date.year, month=entry.date.month
            )
            .filter(pk=int(plan_id))
            .first()
        )
    if plan is None:
        raise ApplicationError(
            field_errors={
                "rencana_aksi": [
                    _(
                        "Choose a rencana aksi of your approved SKP for the month of this "
                        "entry's date."
                    )
                ]
            }
        )
    entry.rencana_aksi = plan
    entry.unit = entry.unit or plan.unit


def _recompute(user, *plan_ids) -> None:
    """Under the office setting "sum of the daily log", the realisation of every plan the
    write touched follows (skp's one rule; 409 in a locked month). Plans in id order, so
    two writes touching the same two plans lock them in the same order."""
    for plan_id in sorted({p for p in plan_ids if p}):
        realisasi_from_daily_entries(
            rencana_aksi_id=plan_id,
            entries=selectors_plans.linked_entries(rencana_aksi_id=plan_id),
            user=user,
        )


def daily_log_create(*, user, data: dict, evidence_file=None) -> DailyLogEntry:
    employee = employee_required(user)
    entry = DailyLogEntry(employee=employee, **{k: data.get(k) for k in DAILY_LOG_FIELDS})
    entry.unit = entry.unit or ""
    entry.evidence_url = entry.evidence_url or ""
    if evidence_file is not None:
        entry.evidence_file = evidence_file
    _check_entry(entry, timezone.localdate())
    _link(entry, data.get("rencana_aksi"))
    with transaction.atomic():
        _month_open(employee, entry.date)
        entry.save()
        _recompute(user, entry.rencana_aksi_id)
    return entry


def daily_log_update(*, user, entry: DailyLogEntry, data: dict, evidence_file=None):
    """Change an entry: the fields given in `data` (and `rencana_aksi` when present, None
    unlinks); both the old and the new plan's realisation follow."""
    employee = employee_required(user)
    if entry.employee_id != employee.pk:
        raise Forbidden()
    with transaction.atomic():
        entry = DailyLogEntry.objects.select_for_update().get(pk=entry.pk)
        before_date, before_plan = entry.date, entry.rencana_aksi_id
        for key in DAILY_LOG_FIELDS:
            if key in data:
                value = data[key]
                setattr(entry, key, "" if value is None and key in TEXT_FIELDS else value)
        if evidence_file is not None:
            if entry.evidence_file:
                old = entry.evidence_file
                transaction.on_commit(lambda name=old.name: old.storage.delete(name))
            entry.evidence_file = evidence_file
        _check_entry(entry, timezone.localdate())
        if "rencana_aksi" in data:
            _link(entry, data["rencana_aksi"])
        elif entry.rencana_aksi_id and (entry.date.year, entry.date.month) != (
            before_date.year,
            before_date.month,
        ):
            _link(entry, entry.rencana_aksi_id)  # moved to another month: still its plan?
        _month_open(employee, before_date)
        _month_open(employee, entry.date)
        entry.save()
        _recompute(user, before_plan, entry.rencana_aksi_id)
    return entry


def daily_log_delete(*, user, entry: DailyLogEntry) -> None:
    employee = employee_required(user)
    if entry.employee_id != employee.pk:
        raise Forbidden()
    with transaction.atomic():
        _month_open(employee, entry.date)
        plan_id = entry.rencana_aksi_id
        entry.delete()
        _recompute(user, plan_id)


# --- monthly report -------------------------------------------------------------------


def _report_figures(employee: Employee, year: int, month: int) -> dict:
    entries = list(selectors.daily_log(employee=employee, year=year, month=month))
    [recap] = selectors.month_recap(employees=[employee], year=year, month=month)
    minutes = sum(
        (datetime.datetime.combine(e.date, e.end) - datetime.datetime.combine(e.date, e.start))
        // datetime.timedelta(minutes=1)
        for e in entries
    )
    c = recap.counts
    return {
        "total_days": len({e.date for e in entries}),
        "total_minutes": minutes,
        "entry_count": len(entries),
        "present_days": c["present"] + c["late"] + c["early"] + c["flagged"],
        "working_days": c["working_days"],
        "plans": [
            p.as_dict
            for p in selectors_plans.month_plans(employee=employee, year=year, month=month)
        ],
    }


def monthly_report_submit(*, user, year: int, month: int) -> MonthlyReport:
    employee = employee_required(user)
    if not (2000 <= year <= 2100 and 1 <= month <= 12):
        raise ApplicationError(field_errors={"month": [_("Not a valid month.")]})
    today = timezone.localdate()
    if (year, month) > (today.year, today.month):
        raise ApplicationError(field_errors={"month": [_("The month has not started.")]})
    if selectors.superior_official(employee, today) is None:
        raise ApplicationError(_("Nobody acts for your superior position today."))
    figures = _report_figures(employee, year, month)
    if not figures["entry_count"]:
        raise ApplicationError(_("The month has no daily log entry yet."))
    with transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        report = MonthlyReport.objects.filter(employee=employee, year=year, month=month).first()
        if report is None:
            return MonthlyReport.objects.create(
                employee=employee, year=year, month=month, submitted_at=timezone.now(), **figures
            )
        if not can_proceed(report.resubmit):
            raise Conflict(_("This month's report is already submitted."))
        report.resubmit()
        for key, value in figures.items():
            setattr(report, key, value)
        report.submitted_at = timezone.now()
        report.save()
    return report


def _decide(report: MonthlyReport, user, method: str, note: str) -> MonthlyReport:
    today = timezone.localdate()
    with transaction.atomic():
        report = (
            MonthlyReport.objects.select_for_update().select_related("employee").get(pk=report.pk)
        )
        official = selectors.superior_official(report.employee, today)
        me = selectors.employee_for_user(user)
        if official is None or me is None or official.employee.pk != me.pk:
            raise Forbidden(
                _("Only whoever acts for the employee's superior position today may decide.")
            )
        if me.pk == report.employee_id:
            raise Forbidden()
        transition = getattr(report, method)
        if not can_proceed(transition):
            raise Conflict(_("This report is not waiting for a decision."))
        transition()
        report.decided_by = user
        report.decided_as = official.acting_as or official.position.name
        report.decided_at = timezone.now()
        report.note = note.strip()[:2000]
        try:
            report.save()
        except ConcurrentTransition:
            raise Conflict(_("Someone decided on this report at the same time.")) from None
    return report


def monthly_report_approve(*, report: MonthlyReport, user, note: str = "") -> MonthlyReport:
    return _decide(report, user, "approve", note)


def monthly_report_return(*, report: MonthlyReport, user, note: str) -> MonthlyReport:
    if not (note or "").strip():
        raise ApplicationError(field_errors={"note": [_("A note is required.")]})
    return _decide(report, user, "return_", note)
