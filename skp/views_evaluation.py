"""Pages of the year's work and evaluation under /staf/skp/: parse, check, call one
service, redirect with its message. Reading is for the owner, the pejabat penilai of the
day and HR; actions are checked by the services (403/409/400 shown as messages)."""

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

from . import (
    selectors,
    selectors_evaluation,
    selectors_realisation,
    services_evaluation,
    services_realisation,
)
from .api_evaluation import evaluation_pdf_response
from .api_realisation import rencana_aksi_document
from .models import CoreValue, Rhk, Skp
from .models_realisation import BuktiDukung, RencanaAksi
from .rules import Predikat, Rating, period_parse


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


def run_action(request, action, success: str, back: str):
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
    return run_action(
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
    return run_action(
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
    return run_action(
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
    return run_action(request, call, done, back)


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
