"""The head of office's dashboard: the page, its printable monthly report (PDF) and its
workbook (Excel). Thin: check who may see what, parse the filters, read the figures."""

import datetime

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_GET

from . import report_pdf, report_xlsx, selectors
from .forms import DashboardFilter, month_of
from .scope import allowed_for, scope_of

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"


def _prepare(request):
    """(context, figures or None, status) for the page and both downloads."""
    allowed = allowed_for(request.user)
    if not allowed:
        raise PermissionDenied
    form = DashboardFilter(request.GET or None)
    valid = form.is_valid() if request.GET else True
    data = form.cleaned_data if request.GET else {}
    scope = scope_of(allowed, office_code=data.get("kantor", ""), unit_code=data.get("unit", ""))
    if scope is None:
        raise PermissionDenied
    today = timezone.localdate()
    context = {
        "form": form,
        "allowed": allowed,
        "scope": scope,
        "units": allowed.units.get(scope.office.pk, []),
        "whole_office": scope.office.pk in allowed.whole,
        "today": today,
        "quick": _quick_periods(today),
    }
    if not valid:
        return context, None, 400
    period = data.get("period") or month_of(today)
    period = period if period.end <= today else selectors.Period(period.start, today)
    context["period"] = period
    context["query"] = _query(scope, period)
    return context, selectors.dashboard_figures(scope, period, today), 200


def _query(scope, period) -> str:
    parts = [f"kantor={scope.office.code}"]
    if scope.unit is not None:
        parts.append(f"unit={scope.unit.code}")
    parts += [f"dari={period.start.isoformat()}", f"sampai={period.end.isoformat()}"]
    return "&".join(parts)


def _quick_periods(today):
    this = month_of(today)
    last = month_of(this.start - datetime.timedelta(days=1))
    return {
        "this_month": (this.start, today),
        "last_month": (last.start, last.end),
        "this_year": (today.replace(month=1, day=1), today),
    }


@login_required
@require_GET
def dashboard(request):
    context, figures, status = _prepare(request)
    return render(request, "dashboard/dashboard.html", {**context, "f": figures}, status=status)


def _download(request, *, build, content_type, extension):
    context, figures, status = _prepare(request)
    if figures is None:
        return render(request, "dashboard/dashboard.html", {**context, "f": None}, status=status)
    scope, period = context["scope"], context["period"]
    body = build(scope=scope, period=period, figures=figures, today=context["today"])
    response = HttpResponse(body, content_type=content_type)
    unit = f"-{scope.unit.code}" if scope.unit is not None else ""
    name = (
        f"laporan-layanan-{scope.office.code}{unit}-{period.start:%Y-%m-%d}-{period.end:%Y-%m-%d}"
    )
    response["Content-Disposition"] = f'attachment; filename="{name}.{extension}"'
    return response


@login_required
@require_GET
def report_pdf_download(request):
    return _download(
        request, build=report_pdf.build, content_type="application/pdf", extension="pdf"
    )


@login_required
@require_GET
def report_xlsx_download(request):
    return _download(request, build=report_xlsx.build, content_type=XLSX, extension="xlsx")
