"""Pages of the year's work and evaluation under /staf/skp/: parse, check, call one
service, redirect with its message. Reading is for the owner, the pejabat penilai of the
day and HR; actions are checked by the services (403/409/400 shown as messages)."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.dates import MONTHS
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_POST

from config.exceptions import ApplicationError, Forbidden
from config.uploads import download_name, file_response
from organization.models import Office

from . import (
    selectors,
    selectors_evaluation,
    selectors_realisation,
    services_evaluation,
    services_lock,
    services_realisation,
)
from .api_evaluation import evaluation_pdf_response
from .api_realisation import rencana_aksi_document
from .models import CoreValue, Rhk, Skp
from .models_lock import PeriodLock
from .models_realisation import BuktiDukung, RencanaAksi
from .rules import OrganisationGrade, Predikat, Rating, period_parse


def _visible(request, skp_id) -> Skp:
    skp = selectors.skp_get_with_content(skp_id=skp_id)
    if skp is None or not selectors_realisation.realisation_visible_to(
        skp=skp, user=request.user, on=timezone.localdate()
    ):
        raise Http404
    return skp


def _roles(request, skp):
    employee = selectors.employee_for_user(request.user)
    reviewer = selectors.skp_reviewer(skp=skp, on=timezone.localdate())
    is_owner = employee is not None and skp.employee_id == employee.pk
    is_penilai = (
        not is_owner and employee is not None and reviewer and reviewer.employee.pk == employee.pk
    )
    return is_owner, bool(is_penilai), reviewer


def _run(request, action, success: str, back: str):
    """Call one service; its refusal becomes the page's error message."""
    try:
        action()
    except Forbidden as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except ApplicationError as exc:
        detail = [str(exc.message)] if not exc.field_errors else []
        for field, errors in exc.field_errors.items():
            detail += [f"{field}: {e}" for e in errors]
        messages.error(request, " ".join(detail))
    else:
        messages.success(request, success)
    return redirect(back)


def _month(request) -> int:
    raw = request.GET.get("bulan") or request.POST.get("month") or ""
    return int(raw) if raw.isdigit() and 1 <= int(raw) <= 12 else timezone.localdate().month


# --- the month's sheet -------------------------------------------------------------------------


@login_required
@require_GET
def realisation(request, skp_id):
    skp = _visible(request, skp_id)
    month = _month(request)
    is_owner, is_penilai, reviewer = _roles(request, skp)
    periods = selectors_evaluation.skp_periods(skp=skp)
    covering = [p for p in periods if month in p.months]
    context = {
        "skp": skp,
        "doc": rencana_aksi_document(skp=skp, month=month),
        "month": month,
        "month_name": MONTHS[month],
        "months": [(m, MONTHS[m]) for m in range(1, 13)],
        "is_owner": is_owner,
        "is_penilai": is_penilai,
        "reviewer": reviewer,
        "feedback_periods": [f"{skp.year}-{month:02d}", *[p.code for p in covering]],
        "core_values": CoreValue.choices,
        "value_feedback": [f for f in selectors_realisation.feedback_for(skp=skp) if f.core_value],
        "nav": "mine" if is_owner else "to_rate",
    }
    return render(request, "skp/realisation.html", context)


def _back_to_month(skp_id, month) -> str:
    return reverse("skp:realisation", args=[skp_id]) + f"?bulan={month}"


@login_required
@require_POST
def rencana_aksi_save(request, skp_id):
    skp = get_object_or_404(Skp, pk=skp_id)
    month = _month(request)
    p = request.POST
    item = {
        "rhk": int(p["rhk"]) if p.get("rhk", "").isdigit() else None,
        "text": p.get("text", ""),
        "target": p.get("target", ""),
        "unit": p.get("unit", ""),
        "is_risk_control": p.get("is_risk_control") == "on",
    }
    if p.get("id", "").isdigit():
        item["id"] = int(p["id"])
    if p.get("realisasi", "").strip():
        item["realisasi"] = {"value": p["realisasi"], "note": p.get("note", "")}
    return _run(
        request,
        lambda: services_realisation.rencana_aksi_put(
            skp=skp, user=request.user, month=month, items=[item]
        ),
        _("The rencana aksi was saved."),
        _back_to_month(skp_id, month),
    )


@login_required
@require_POST
def bukti_dukung_add(request, skp_id, ra_id):
    ra = get_object_or_404(RencanaAksi.objects.select_related("skp"), pk=ra_id, skp_id=skp_id)
    upload = request.FILES.get("file")
    url = None if upload else request.POST.get("url", "")
    return _run(
        request,
        lambda: services_realisation.bukti_dukung_add(
            rencana_aksi=ra, user=request.user, file=upload, url=url
        ),
        _("The evidence was attached."),
        _back_to_month(skp_id, ra.month),
    )


@login_required
@require_POST
def feedback_add(request, skp_id):
    skp = get_object_or_404(Skp, pk=skp_id)
    month = _month(request)
    rhk = None
    if request.POST.get("rhk", "").isdigit():
        rhk = Rhk.objects.filter(pk=int(request.POST["rhk"]), skp=skp).first()
    return _run(
        request,
        lambda: services_realisation.umpan_balik_add(
            skp=skp,
            user=request.user,
            period=request.POST.get("period", ""),
            text=request.POST.get("text", ""),
            rhk=rhk,
            core_value=request.POST.get("core_value", ""),
        ),
        _("The feedback was recorded."),
        _feedback_back(request, skp_id, month, rhk),
    )


def _feedback_back(request, skp_id, month, rhk) -> str:
    """Back to where the feedback was given: the SKP page's RHK/value, or the month's sheet."""
    if request.POST.get("back") != "detail":
        return _back_to_month(skp_id, month)
    key = rhk.pk if rhk else request.POST.get("core_value", "")
    anchor = f"#feedback-{key}" if key in CoreValue.values or rhk else ""
    return reverse("skp:detail", args=[skp_id]) + anchor


@login_required
@require_GET
def bukti_dukung(request, skp_id, ra_id, bd_id):
    """An evidence file, privately (or the evidence link)."""
    evidence = get_object_or_404(
        BuktiDukung.objects.select_related("rencana_aksi__skp__position__unit"),
        pk=bd_id,
        rencana_aksi_id=ra_id,
        rencana_aksi__skp_id=skp_id,
    )
    skp = evidence.rencana_aksi.skp
    if not selectors_realisation.realisation_visible_to(
        skp=skp, user=request.user, on=timezone.localdate()
    ):
        raise Http404
    if evidence.kind == BuktiDukung.Kind.LINK:
        return redirect(evidence.url)
    return file_response(
        evidence.file,
        download_name(f"bukti-dukung-{evidence.pk}", evidence.content_type),
        content_type=evidence.content_type,
    )


# --- evaluations -------------------------------------------------------------------------------


@login_required
@require_GET
def evaluations(request, skp_id):
    skp = _visible(request, skp_id)
    is_owner, is_penilai, reviewer = _roles(request, skp)
    rows = [
        {
            "period": p,
            "evaluation": e,
            "capaian": selectors_realisation.capaian_of_months(skp=skp, months=p.months),
            "predikat": Predikat(e.predikat).label if e.predikat else None,
        }
        for p, e in selectors_evaluation.evaluations_of(skp=skp)
    ]
    context = {
        "skp": skp,
        "rows": rows,
        "is_owner": is_owner,
        "is_penilai": is_penilai,
        "reviewer": reviewer,
        "ratings": Rating.choices,
        "events": selectors_evaluation.evaluation_history(skp=skp),
        "today": timezone.localdate(),
        "nav": "mine" if is_owner else "to_rate",
    }
    return render(request, "skp/evaluations.html", context)


@login_required
@require_POST
def evaluation_action(request, skp_id, period, action):
    skp = get_object_or_404(Skp, pk=skp_id)
    back = reverse("skp:evaluations", args=[skp_id]) + f"#period-{period}"
    p = request.POST
    if action == "submit":
        call = lambda: services_evaluation.evaluation_submit(  # noqa: E731
            skp=skp, user=request.user, period=period
        )
        done = _("The evaluation was submitted to your pejabat penilai.")
    elif action == "return":
        call = lambda: services_evaluation.evaluation_return(  # noqa: E731
            skp=skp, user=request.user, period=period, note=p.get("note", "")
        )
        done = _("The evaluation was returned to its owner.")
    elif action == "rate":

        def call():
            ratings = [p.get(k, "") for k in ("rating_hasil_kerja", "rating_perilaku")]
            if not all(r.isdigit() for r in ratings):
                raise ApplicationError(_("Choose both ratings."))
            services_evaluation.evaluation_rate(
                skp=skp,
                user=request.user,
                period=period,
                rating_hasil_kerja=int(ratings[0]),
                rating_perilaku=int(ratings[1]),
                note=p.get("note", ""),
            )

        done = _("The evaluation was rated.")
    else:
        raise Http404
    return _run(request, call, done, back)


@login_required
@require_GET
def evaluation_pdf(request, skp_id, period):
    skp = _visible(request, skp_id)
    try:
        return evaluation_pdf_response(skp, period, request.GET.get("tanggal") or None)
    except ApplicationError as exc:
        if exc.status_code == 404:
            raise Http404 from exc
        return HttpResponseBadRequest(
            _("The date must be a valid date in the form YYYY-MM-DD."),
            content_type="text/plain; charset=utf-8",
        )


@login_required
@require_GET
def to_rate(request):
    qs, acted = selectors_evaluation.evaluations_to_rate(user=request.user, on=timezone.localdate())
    items = list(qs[:200])
    for e in items:
        e.acting_as = acted.get(e.skp.position.superior_id)
        e.period_label = period_parse(e.period).label
    return render(request, "skp/to_rate.html", {"items": items, "nav": "to_rate"})


# --- the unit's report and the locks -----------------------------------------------------------


@login_required
def predikat_report(request):
    params = request.POST if request.method == "POST" else request.GET
    unit = selectors_evaluation.unit_by_code(params.get("unit", ""))
    period = period_parse(params.get("period", ""))
    if not unit or period is None:
        return render(request, "skp/predikat_report.html", {"report": None, "nav": "report"})
    today = timezone.localdate()
    if not selectors_evaluation.may_see_report(user=request.user, unit=unit, on=today):
        raise Http404
    query = f"?unit={unit.office.code}.{unit.code}&period={period.code}"
    back = reverse("skp:predikat_report") + query
    if request.method == "POST":
        if params.get("action") == "grade":
            return _run(
                request,
                lambda: services_evaluation.unit_grade_set(
                    user=request.user, unit=unit, period=period.code, grade=params.get("grade")
                ),
                _("The organisation grade was set."),
                back,
            )
        return _run(
            request,
            lambda: services_evaluation.predikat_finalise(
                user=request.user,
                unit=unit,
                period=period.code,
                override_reason=params.get("override_reason", ""),
            ),
            _("The unit's predikats were finalised."),
            back,
        )
    report = selectors_evaluation.predikat_report(unit=unit, period=period)
    context = {
        "report": report,
        "query": query,
        "grades": OrganisationGrade.choices,
        "predikats": [(p, report.counts.get(p.value, 0)) for p in Predikat],
        "may_grade": selectors_evaluation.may_grade(user=request.user, unit=unit, on=today)[0],
        "nav": "report",
    }
    return render(request, "skp/predikat_report.html", context)


@login_required
def locks(request):
    offices = (
        list(Office.objects.all())
        if request.user.is_superuser
        else selectors_realisation.allowance_offices(user=request.user)
    )
    if not offices:
        raise PermissionDenied(_("Only allowance administrators manage payment-period locks."))
    back = reverse("skp:locks")
    if request.method == "POST":
        p = request.POST
        if p.get("action") == "unlock":
            lock = get_object_or_404(PeriodLock, pk=p.get("lock", 0) or 0)
            return _run(
                request,
                lambda: services_lock.period_unlock(
                    user=request.user, lock=lock, reason=p.get("reason", "")
                ),
                _("The month was unlocked."),
                back,
            )
        office = next((o for o in offices if o.code == p.get("office")), None)

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

        return _run(request, lock_it, _("The period was locked."), back)
    ids = [o.pk for o in offices]
    rows = PeriodLock.objects.filter(office_id__in=ids) | PeriodLock.objects.filter(
        office__parent_id__in=ids
    )
    context = {
        "offices": offices,
        "locks": rows.select_related("office", "locked_by").order_by(
            "office__code", "year", "month"
        ),
        "year": timezone.localdate().year,
        "months": [(m, MONTHS[m]) for m in range(1, 13)],
        "today": datetime.date.today(),
        "nav": "locks",
    }
    return render(request, "skp/locks.html", context)
