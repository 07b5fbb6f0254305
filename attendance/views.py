"""Attendance and daily-log pages under /staf/presensi/: phone-first for the employee
(check in with two taps), desk-first for the superior and HR. Parse, check, call one
service or selector, render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.exceptions import ApplicationError
from organization.models import Employee, Unit

from . import export, selectors, services
from .forms import CheckForm, DailyLogForm, EnrolForm, NoteForm
from .models import AttendanceRecord, DailyLogEntry, Flag, MonthlyReport

STATUS_LABELS = {
    "present": gettext_lazy("Present"),
    "late": gettext_lazy("Late"),
    "early": gettext_lazy("Left early"),
    "absent": gettext_lazy("Absent"),
    "leave": gettext_lazy("Leave"),
    "flagged": gettext_lazy("Flagged"),
    "off": gettext_lazy("Day off"),
}


def _apply_errors(form, exc: ApplicationError) -> None:
    for field, errors in exc.field_errors.items():
        for error in errors if isinstance(errors, list) else [errors]:
            form.add_error(field if field in form.fields else None, str(error))
    if not exc.field_errors:
        form.add_error(None, str(exc.message))


def _month_of(request):
    try:
        return selectors.parse_month(request.GET.get("bulan"))
    except ValueError:
        raise Http404 from None


def _month_links(year, month):
    first = datetime.date(year, month, 1)
    previous = first - datetime.timedelta(days=1)
    following = first + datetime.timedelta(days=32)
    return {
        "month_label": first,
        "previous": f"{previous:%Y-%m}",
        "next": f"{following:%Y-%m}",
        "bulan": f"{year}-{month:02d}",
    }


def _me(request) -> Employee:
    employee = selectors.employee_for_user(request.user)
    if employee is None:
        raise PermissionDenied
    return employee


# --- the employee's phone pages -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def check_in(request):
    employee = _me(request)
    form = CheckForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            v = form.cleaned_data
            try:
                record = services.attendance_check(
                    user=request.user,
                    kind=v["kind"],
                    latitude=v["latitude"],
                    longitude=v["longitude"],
                    accuracy=v["accuracy"],
                    photo=v["photo"],
                    client_time=parse_datetime(v["captured_at"] or "") or None,
                )
            except ApplicationError as exc:
                _apply_errors(form, exc)
                status = exc.status_code
            else:
                kind = record.get_kind_display()
                if record.status == AttendanceRecord.Status.ACCEPTED:
                    messages.success(
                        request,
                        _("%(kind)s recorded at %(time)s.")
                        % {"kind": kind, "time": f"{timezone.localtime(record.at):%H:%M}"},
                    )
                else:
                    reasons = ", ".join(str(Flag(f).label) for f in record.flags)
                    messages.warning(
                        request,
                        _("%(kind)s recorded at %(time)s, held for your superior: %(reasons)s.")
                        % {
                            "kind": kind,
                            "time": f"{timezone.localtime(record.at):%H:%M}",
                            "reasons": reasons,
                        },
                    )
                return redirect("attendance:check_in")
        else:
            status = 400
    today = timezone.localdate()
    records = AttendanceRecord.objects.filter(employee=employee, date=today)
    return render(
        request,
        "attendance/check_in.html",
        {
            "form": form,
            "records": records,
            "checked_in": any(r.kind == "in" for r in records),
            "enrolled": selectors.enrolment_of(employee) is not None,
            "has_location": bool(selectors.locations_for(employee, today)),
            "nav": "check_in",
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def face(request):
    employee = _me(request)
    form = EnrolForm(request.POST or None, request.FILES or None)
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.face_enrol(
                user=request.user,
                photo=form.cleaned_data["photo"],
                consent=form.cleaned_data["consent"],
            )
        except ApplicationError as exc:
            _apply_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("Your face is enrolled. You can check in now."))
            return redirect("attendance:check_in")
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "attendance/face.html",
        {
            "form": form,
            "enrolment": selectors.enrolment_of(employee),
            "consent_text": services.consent_text(),
            "nav": "face",
        },
        status=status,
    )


@login_required
@require_POST
def face_delete(request):
    if services.face_enrolment_delete(user=request.user):
        messages.success(request, _("Your face enrolment and its photo were deleted."))
    return redirect("attendance:face")


@login_required
@require_GET
def my_recap(request):
    employee = _me(request)
    year, month = _month_of(request)
    [em] = selectors.month_recap(employees=[employee], year=year, month=month)
    return render(
        request,
        "attendance/my_recap.html",
        {
            "em": em,
            "labels": STATUS_LABELS,
            "nav": "recap",
            **_month_links(year, month),
        },
    )


# --- daily log ------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def daily_log(request):
    employee = _me(request)
    year, month = _month_of(request)
    initial = {"date": timezone.localdate()}
    form = DailyLogForm(request.POST or None, request.FILES or None, initial=initial)
    status = 200
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        evidence = data.pop("evidence_file", None)
        try:
            entry = services.daily_log_create(user=request.user, data=data, evidence_file=evidence)
        except ApplicationError as exc:
            _apply_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("The activity was added to your daily log."))
            return redirect(f"{request.path}?bulan={entry.date:%Y-%m}")
    elif request.method == "POST":
        status = 400
    entries = selectors.daily_log(employee=employee, year=year, month=month)
    return render(
        request,
        "attendance/daily_log.html",
        {
            "form": form,
            "entries": entries,
            "report": MonthlyReport.objects.filter(
                employee=employee, year=year, month=month
            ).first(),
            "nav": "log",
            **_month_links(year, month),
        },
        status=status,
    )


@login_required
@require_POST
def daily_log_delete(request, entry_id):
    entry = get_object_or_404(DailyLogEntry, pk=entry_id, employee=_me(request))
    try:
        services.daily_log_delete(user=request.user, entry=entry)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    return redirect(f"{reverse('attendance:daily_log')}?bulan={entry.date:%Y-%m}")


@login_required
@require_POST
def report_submit(request):
    year, month = _month_of(request)
    try:
        services.monthly_report_submit(user=request.user, year=year, month=month)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your monthly report was sent to your superior."))
    return redirect(f"{reverse('attendance:daily_log')}?bulan={year}-{month:02d}")


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
    year, month = _month_of(request)
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
            **_month_links(year, month),
        },
    )


@login_required
@require_GET
def team_excel(request):
    today = timezone.localdate()
    unit, _units = _unit_or_404(request, today)
    year, month = _month_of(request)
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
    year, month = _month_of(request)
    return render(
        request,
        "attendance/team_log.html",
        {
            "employee": employee,
            "entries": selectors.daily_log(employee=employee, year=year, month=month),
            "nav": "team",
            **_month_links(year, month),
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
