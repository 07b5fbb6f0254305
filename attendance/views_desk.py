"""The superior's and HR's desk pages under /staf/presensi/ (the team's month, its Excel,
a member's daily log, reviewing flagged check-ins and monthly reports). Parse, check,
call one service or selector, render."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.exceptions import ApplicationError
from organization.models import Employee, Unit

from . import export, selectors, selectors_plans, services
from .forms import NoteForm
from .models import AttendanceRecord, Flag, MonthlyReport
from .views import STATUS_LABELS, month_links, month_of

# --- the superior's and HR's desk pages ------------------------------------------------


def _unit_or_404(request, today) -> tuple[Unit, list[Unit]]:
    units = selectors.units_overseen(user=request.user, on=today)
    if not units:
        raise PermissionDenied
    wanted = request.GET.get("unit")
    unit = next((u for u in units if str(u.pk) == wanted), None) if wanted else units[0]
    if unit is None:
        raise Http404
    return unit, units


@login_required
@require_GET
def team(request):
    today = timezone.localdate()
    unit, units = _unit_or_404(request, today)
    year, month = month_of(request)
    people = selectors.team_of(user=request.user, unit=unit, on=today)
    return render(
        request,
        "attendance/team.html",
        {
            "unit": unit,
            "units": units,
            "months": selectors.month_recap(employees=people, year=year, month=month),
            "flagged": selectors.flagged_records(employees=people, year=year, month=month),
            "reports": selectors.reports_to_review(user=request.user, on=today),
            "labels": STATUS_LABELS,
            "flag_labels": dict(Flag.choices),
            "note_form": NoteForm(),
            "nav": "team",
            **month_links(year, month),
        },
    )


@login_required
@require_GET
def team_excel(request):
    today = timezone.localdate()
    unit, _units = _unit_or_404(request, today)
    year, month = month_of(request)
    people = selectors.team_of(user=request.user, unit=unit, on=today)
    months = selectors.month_recap(employees=people, year=year, month=month)
    body = export.recap_workbook(unit=unit, year=year, month=month, months=months)
    response = HttpResponse(
        body, content_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
    )
    name = f"rekap-presensi-{unit.office.code}-{unit.code}-{year}-{month:02d}.xlsx"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


@login_required
@require_GET
def team_log(request, nip):
    employee = get_object_or_404(Employee, nip=nip)
    if not selectors.may_oversee(user=request.user, employee=employee, on=timezone.localdate()):
        raise Http404
    year, month = month_of(request)
    plans = selectors_plans.month_plans(employee=employee, year=year, month=month)
    return render(
        request,
        "attendance/team_log.html",
        {
            "employee": employee,
            "entries": selectors.daily_log(employee=employee, year=year, month=month),
            "plans": plans,
            "sums_daily_log": selectors_plans.sums_daily_log(p.rencana_aksi for p in plans),
            "nav": "team",
            **month_links(year, month),
        },
    )


@login_required
@require_GET
def record_photo(request, record_id):
    from rest_framework.exceptions import NotFound

    from .api import record_visible

    try:
        record = record_visible(request.user, record_id)
    except NotFound:
        raise Http404 from None
    if not record.photo:
        raise Http404
    response = FileResponse(record.photo.open("rb"), content_type="image/jpeg")
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def review(request, record_id):
    record = get_object_or_404(AttendanceRecord.objects.select_related("employee"), pk=record_id)
    form = NoteForm(request.POST)
    form.is_valid()
    try:
        services.attendance_review(
            record=record,
            user=request.user,
            accept=request.POST.get("decision") == "accept",
            note=form.cleaned_data.get("note", ""),
        )
    except ApplicationError as exc:
        messages.error(
            request,
            str(exc.message)
            if not exc.field_errors
            else "; ".join(str(e) for v in exc.field_errors.values() for e in v),
        )
    else:
        messages.success(
            request, _("The record of %(name)s was reviewed.") % {"name": record.employee.name}
        )
    back = request.POST.get("back", "")
    if not url_has_allowed_host_and_scheme(back, {request.get_host()}):
        back = reverse("attendance:team")
    return redirect(back or reverse("attendance:team"))


@login_required
@require_POST
def report_decide(request, report_id, decision):
    if decision not in ("setujui", "kembalikan"):
        raise Http404
    report = get_object_or_404(MonthlyReport.objects.select_related("employee"), pk=report_id)
    form = NoteForm(request.POST)
    form.is_valid()
    action = (
        services.monthly_report_approve if decision == "setujui" else services.monthly_report_return
    )
    try:
        action(report=report, user=request.user, note=form.cleaned_data.get("note", ""))
    except ApplicationError as exc:
        messages.error(
            request,
            str(exc.message)
            if not exc.field_errors
            else "; ".join(str(e) for v in exc.field_errors.values() for e in v),
        )
    else:
        messages.success(
            request,
            _("The monthly report of %(name)s was decided.") % {"name": report.employee.name},
        )
    return redirect("attendance:team")
