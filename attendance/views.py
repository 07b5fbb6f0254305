"""Attendance and daily-log pages under /staf/presensi/: phone-first for the employee
(check in with two taps); the superior's and HR's desk pages are in `views_desk`.
Parse, check, call one service or selector, render."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.exceptions import ApplicationError, form_add_errors
from config.forms import submitted
from organization.models import Employee

from . import selectors, selectors_plans, services
from .forms import CheckForm, DailyLogForm, EnrolForm
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


def month_of(request):
    try:
        return selectors.parse_month(request.GET.get("bulan"))
    except ValueError:
        raise Http404 from None


def month_links(year, month):
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
    form = CheckForm(*submitted(request))
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
                form_add_errors(form, exc)
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
    form = EnrolForm(*submitted(request))
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            services.face_enrol(
                user=request.user,
                photo=form.cleaned_data["photo"],
                consent=form.cleaned_data["consent"],
            )
        except ApplicationError as exc:
            form_add_errors(form, exc)
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
    year, month = month_of(request)
    [em] = selectors.month_recap(employees=[employee], year=year, month=month)
    return render(
        request,
        "attendance/my_recap.html",
        {
            "em": em,
            "labels": STATUS_LABELS,
            "nav": "recap",
            **month_links(year, month),
        },
    )


# --- daily log ------------------------------------------------------------------------


def _entry_form(request, employee, year, month, **kwargs) -> DailyLogForm:
    plans = list(selectors_plans.plans_for_month(employee=employee, year=year, month=month))
    form = DailyLogForm(
        *submitted(request), plan_groups=selectors_plans.plan_groups(plans), **kwargs
    )
    if selectors_plans.sums_daily_log(plans):
        form.fields["quantity"].help_text = _(
            "In your office the quantities of the activities linked to a rencana aksi make "
            "its realisation for the month."
        )
    return form


def _save_entry(request, form, save):
    """Run `save(data, evidence)` on a valid form; the response status and the entry."""
    if request.method != "POST":
        return 200, None
    if not form.is_valid():
        return 400, None
    data = dict(form.cleaned_data)
    evidence = data.pop("evidence_file", None)
    try:
        return 200, save(data, evidence)
    except ApplicationError as exc:
        form_add_errors(form, exc)
        return exc.status_code, None


@login_required
@require_http_methods(["GET", "POST"])
def daily_log(request):
    employee = _me(request)
    year, month = month_of(request)
    form = _entry_form(request, employee, year, month, initial={"date": timezone.localdate()})
    status, entry = _save_entry(
        request,
        form,
        lambda data, evidence: services.daily_log_create(
            user=request.user, data=data, evidence_file=evidence
        ),
    )
    if entry is not None:
        messages.success(request, _("The activity was added to your daily log."))
        return redirect(f"{request.path}?bulan={entry.date:%Y-%m}")
    entries = selectors.daily_log(employee=employee, year=year, month=month)
    plans = selectors_plans.month_plans(employee=employee, year=year, month=month)
    return render(
        request,
        "attendance/daily_log.html",
        {
            "form": form,
            "entries": entries,
            "plans": plans,
            "sums_daily_log": selectors_plans.sums_daily_log(p.rencana_aksi for p in plans),
            "report": MonthlyReport.objects.filter(
                employee=employee, year=year, month=month
            ).first(),
            "nav": "log",
            **month_links(year, month),
        },
        status=status,
    )


@login_required
@require_http_methods(["GET", "POST"])
def daily_log_edit(request, entry_id):
    employee = _me(request)
    entry = get_object_or_404(
        DailyLogEntry.objects.select_related("rencana_aksi"), pk=entry_id, employee=employee
    )
    initial = {f: getattr(entry, f) for f in services.DAILY_LOG_FIELDS}
    initial["rencana_aksi"] = str(entry.rencana_aksi_id or "")
    form = _entry_form(request, employee, entry.date.year, entry.date.month, initial=initial)
    status, saved = _save_entry(
        request,
        form,
        lambda data, evidence: services.daily_log_update(
            user=request.user, entry=entry, data=data, evidence_file=evidence
        ),
    )
    if saved is not None:
        messages.success(request, _("The activity was changed."))
        return redirect(f"{reverse('attendance:daily_log')}?bulan={saved.date:%Y-%m}")
    return render(
        request,
        "attendance/daily_log_edit.html",
        {"form": form, "entry": entry, "nav": "log"},
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
    year, month = month_of(request)
    try:
        services.monthly_report_submit(user=request.user, year=year, month=month)
    except ApplicationError as exc:
        messages.error(request, str(exc.message))
    else:
        messages.success(request, _("Your monthly report was sent to your superior."))
    return redirect(f"{reverse('attendance:daily_log')}?bulan={year}-{month:02d}")
