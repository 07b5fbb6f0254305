"""The office's SKP pages under /staf/skp/: the unit's Laporan Predikat Kinerja, the
payment-period locks and the office's choices for a year (evaluation periods, allowance
cadence). Parse, check, call one service, redirect with its message."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.exceptions import ApplicationError
from organization.models import Office

from . import selectors_evaluation, selectors_realisation, services_lock, services_settings
from .models_evaluation import PaymentCadence
from .models_lock import PeriodLock
from .models_realisation import RealisationSource
from .rules import Granularity, OrganisationGrade, Predikat, periods_of_year
from .services_evaluation import predikat_finalise, unit_grade_set, unit_period
from .views_evaluation import run_action


def _year(raw, default: int) -> int:
    raw = str(raw or "")
    return int(raw) if raw.isdigit() and 2000 <= int(raw) <= 2100 else default


def _chosen_office(offices, code):
    return next((o for o in offices if o.code == code), offices[0] if offices else None)


# --- the Laporan Predikat Kinerja ----------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def predikat_report(request):
    """`?unit=OFFICE.unit&period=P`: the period is chosen among the office's periods of
    the year (`&year=` switches year), as the office's granularity cuts it."""
    params = request.POST if request.method == "POST" else request.GET
    unit = selectors_evaluation.unit_by_code(params.get("unit", ""))
    context = {"report": None, "nav": "report", "unit_code": params.get("unit", "")}
    if not unit:
        if unit is False or params.get("unit"):
            context["error"] = _("Unknown unit: write OFFICE.unit, e.g. KJB.pendma.")
        status = 400 if "error" in context else 200
        return render(request, "skp/predikat_report.html", context, status=status)
    today = timezone.localdate()
    if not selectors_evaluation.may_see_report(user=request.user, unit=unit, on=today):
        raise Http404
    code = params.get("period", "")
    year = _year(params.get("year") or code[:4], today.year)
    periods = selectors_evaluation.office_periods(office_id=unit.office_id, year=year)
    context.update(
        unit_code=f"{unit.office.code}.{unit.code}", year=year, periods=periods, unit=unit
    )
    if not code or code[:4] != str(year):
        current = next((p for p in periods if p.start <= today <= p.end), periods[0])
        context["selected"] = current.code
        return render(request, "skp/predikat_report.html", context)
    try:
        period = unit_period(unit, code)
    except ApplicationError as exc:
        context["error"] = " ".join(str(e) for e in exc.field_errors.get("period", [exc.message]))
        return render(request, "skp/predikat_report.html", context, status=400)
    query = f"?unit={unit.office.code}.{unit.code}&period={period.code}"
    back = reverse("skp:predikat_report") + query
    if request.method == "POST":
        if params.get("action") == "grade":
            return run_action(
                request,
                lambda: unit_grade_set(
                    user=request.user, unit=unit, period=period.code, grade=params.get("grade")
                ),
                _("The organisation grade was set."),
                back,
            )
        return run_action(
            request,
            lambda: predikat_finalise(
                user=request.user,
                unit=unit,
                period=period.code,
                override_reason=params.get("override_reason", ""),
            ),
            _("The unit's predikats were finalised."),
            back,
        )
    report = selectors_evaluation.predikat_report(unit=unit, period=period)
    context.update(
        report=report,
        selected=period.code,
        query=query,
        grades=OrganisationGrade.choices,
        predikats=[(p, report.counts.get(p.value, 0)) for p in Predikat],
        may_grade=selectors_evaluation.may_grade(user=request.user, unit=unit, on=today)[0],
    )
    return render(request, "skp/predikat_report.html", context)


# --- payment-period locks ------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def locks(request):
    """The office's locks; the form offers months or quarters as the office pays that
    year (`?office=&year=` choose)."""
    offices = (
        list(Office.objects.order_by("code"))
        if request.user.is_superuser
        else selectors_realisation.allowance_offices(user=request.user)
    )
    if not offices:
        raise PermissionDenied(_("Only allowance administrators manage payment-period locks."))
    p = request.POST
    if request.method == "POST" and p.get("action") == "unlock":
        lock = get_object_or_404(PeriodLock, pk=p.get("lock", 0) or 0)
        return run_action(
            request,
            lambda: services_lock.period_unlock(
                user=request.user, lock=lock, reason=p.get("reason", "")
            ),
            _("The month was unlocked."),
            reverse("skp:locks"),
        )
    if request.method == "POST":
        office = next((o for o in offices if o.code == p.get("office")), None)
        back = reverse("skp:locks") + f"?office={p.get('office', '')}&year={p.get('year', '')}"

        def lock_it():
            if office is None or not p.get("year", "").isdigit():
                raise ApplicationError(_("Choose an office and a year."))
            month = int(p["month"]) if p.get("month", "").isdigit() else None
            quarter = int(p["quarter"]) if p.get("quarter", "").isdigit() else None
            services_lock.period_lock(
                user=request.user,
                office=office,
                year=int(p["year"]),
                month=month,
                quarter=quarter,
                payment_ref=p.get("payment_ref", ""),
            )

        return run_action(request, lock_it, _("The period was locked."), back)
    today = timezone.localdate()
    office = _chosen_office(offices, request.GET.get("office"))
    year = _year(request.GET.get("year"), today.year)
    setting = selectors_evaluation.office_setting(office_id=office.pk, year=year)
    quarterly = setting.payment_cadence == PaymentCadence.QUARTERLY
    ids = [o.pk for o in offices]
    rows = PeriodLock.objects.filter(office_id__in=ids) | PeriodLock.objects.filter(
        office__parent_id__in=ids
    )
    context = {
        "offices": offices,
        "office": office,
        "year": year,
        "setting": setting,
        "quarterly": quarterly,
        "quarters": periods_of_year(year, Granularity.QUARTERLY)[:-1] if quarterly else [],
        "may_configure": services_settings.may_configure(user=request.user, office=office),
        "locks": rows.select_related("office", "locked_by").order_by(
            "office__code", "year", "month"
        ),
        "months": [(m, MONTHS[m]) for m in range(1, 13)],
        "nav": "locks",
    }
    return render(request, "skp/locks.html", context)


# --- the office's choices for a year -------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def performance_settings(request):
    """`?office=&year=`: the office's evaluation periods and allowance cadence of a year."""
    offices = selectors_evaluation.configurable_offices(user=request.user)
    if not offices:
        raise PermissionDenied(
            _("Only the office's administrator or allowance administrators choose this.")
        )
    params = request.POST if request.method == "POST" else request.GET
    office = _chosen_office(offices, params.get("office"))
    year = _year(params.get("year"), timezone.localdate().year)
    if request.method == "POST":
        if params.get("office") not in {o.code for o in offices}:
            raise PermissionDenied(_("You do not administer that office."))
        back = reverse("skp:settings") + f"?office={office.code}&year={year}"
        return run_action(
            request,
            lambda: services_settings.performance_setting_save(
                user=request.user,
                office=office,
                year=_year(params.get("year"), 0) or None,
                granularity=params.get("granularity", ""),
                payment_cadence=params.get("payment_cadence", ""),
                realisation_source=params.get("realisation_source"),
            ),
            _("The settings for %(year)d were saved.") % {"year": year},
            back,
        )
    setting = selectors_evaluation.office_setting(office_id=office.pk, year=year)
    context = {
        "offices": offices,
        "office": office,
        "year": year,
        "setting": setting,
        "frozen": selectors_evaluation.granularity_frozen(office_id=office.pk, year=year),
        "periods": selectors_evaluation.office_periods(office_id=office.pk, year=year),
        "granularities": Granularity.choices,
        "cadences": PaymentCadence.choices,
        "sources": RealisationSource.choices,
        "nav": "settings",
    }
    return render(request, "skp/settings.html", context)
