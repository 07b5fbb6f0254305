"""SKP pages under /staf/skp/: parse, check, call one service, render.

Reading an SKP page is for its owner and its pejabat penilai of the day (404 for
anyone else); actions are checked by the services (403/409/400).
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404, HttpResponse, HttpResponseBadRequest
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from config.exceptions import ApplicationError, Forbidden, form_add_errors
from config.forms import submitted

from . import selectors, selectors_evaluation, selectors_realisation, services
from .forms import (
    ApproveForm,
    ExpectationForm,
    IndicatorForm,
    NoteForm,
    PrintForm,
    RhkForm,
    SkpCreateForm,
)
from .models import CORE_VALUE_GUIDES, CoreValue, Rhk, Skp, SkpStatus
from .pdf import render_skp_pdf

# --- lists -------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def my_skp(request):
    form = SkpCreateForm(submitted(request)[0])
    status = 200
    if request.method == "POST" and form.is_valid():
        try:
            skp = services.skp_create(user=request.user, year=form.cleaned_data["year"])
        except ApplicationError as exc:
            form_add_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(request, _("Your SKP for %(year)d was created.") % {"year": skp.year})
            return redirect("skp:detail", skp_id=skp.pk)
    elif request.method == "POST":
        status = 400
    return render(
        request,
        "skp/my_skp.html",
        {
            "skps": selectors.skp_list_mine(user=request.user),
            "form": form,
            "has_employee": selectors.employee_for_user(request.user) is not None,
            "nav": "mine",
        },
        status=status,
    )


@login_required
@require_GET
def to_review(request):
    qs, acted = selectors.skp_list_to_review(user=request.user, on=timezone.localdate())
    items = list(qs[:200])
    for skp in items:
        skp.acting_as = acted.get(skp.position.superior_id)
    return render(request, "skp/to_review.html", {"items": items, "nav": "to_review"})


# --- the SKP page ----------------------------------------------------------------------


def _visible_skp(request, skp_id) -> Skp:
    """The owner, the pejabat penilai of the day and HR (the office's allowance
    administrators, superusers) read an SKP page; 404 for anyone else."""
    skp = selectors.skp_get_with_content(skp_id=skp_id)
    if skp is None or not selectors_realisation.realisation_visible_to(
        skp=skp, user=request.user, on=timezone.localdate()
    ):
        raise Http404
    return skp


def _render_detail(request, skp_id, *, status=200, error=None, bound=None):
    bound = bound or {}
    today = timezone.localdate()
    skp = _visible_skp(request, skp_id)
    employee = selectors.employee_for_user(request.user)
    reviewer = selectors.skp_reviewer(skp=skp, on=today)
    is_owner = employee is not None and skp.employee_id == employee.pk
    is_reviewer = (
        employee is not None
        and not is_owner
        and reviewer is not None
        and reviewer.employee.pk == employee.pk
    )
    can_edit = is_owner and skp.is_editable
    parent_choices = selectors.parent_rhk_choices(skp=skp) if can_edit else None

    def form(cls, prefix, **kwargs):
        return bound.get(prefix) or cls(prefix=prefix, **kwargs)

    rhks = list(skp.rhks.all())
    feedback = selectors_realisation.feedback_for(skp=skp)
    for rhk in rhks:
        rhk.feedback = [f for f in feedback if f.rhk_id == rhk.pk]
        for f in rhk.feedback:
            f.rhk_text = rhk.text
    if can_edit:
        for rhk in rhks:
            rhk.edit_form = form(
                RhkForm,
                f"rhk{rhk.pk}",
                parent_choices=parent_choices,
                initial={"text": rhk.text, "kind": rhk.kind, "parent_rhk": rhk.parent_rhk_id},
            )
            rhk.indicator_form = form(IndicatorForm, f"rhk{rhk.pk}-ind")
            for indicator in rhk.indicators.all():
                indicator.edit_form = form(
                    IndicatorForm,
                    f"ind{indicator.pk}",
                    initial={
                        "text": indicator.text,
                        "target": indicator.target,
                        "unit": indicator.unit,
                        "aspect": indicator.aspect,
                    },
                )
    expectations = {e.core_value: e.text for e in skp.expectations.all()}
    can_set_expectations = is_reviewer and skp.status != SkpStatus.APPROVED
    core_values = []
    for value in CoreValue:
        item = {
            "code": value.value,
            "label": value.label,
            "guide": CORE_VALUE_GUIDES[value],
            "expectation": expectations.get(value.value, ""),
            "feedback": [f for f in feedback if f.core_value == value.value],
        }
        if can_set_expectations:
            item["form"] = form(
                ExpectationForm, f"exp-{value.value}", initial={"text": item["expectation"]}
            )
        core_values.append(item)
    forms_with_errors = [f for f in bound.values() if f.errors]
    events = list(selectors.skp_history(skp=skp).select_related("actor__employee"))
    feedback_periods = None
    if is_reviewer and skp.status == SkpStatus.APPROVED:
        periods = selectors_evaluation.skp_periods(skp=skp)
        current = next((p for p in periods if p.start <= today <= p.end), None)
        feedback_periods = [(p, p == current) for p in periods]
    tab = "riwayat" if request.GET.get("tab") == "riwayat" else "isi"
    context = {
        "skp": skp,
        "doc": selectors.skp_document(skp=skp, on=today),
        "reviewer": reviewer,
        "is_owner": is_owner,
        "is_reviewer": is_reviewer,
        "can_edit": can_edit,
        "main_rhks": [r for r in rhks if r.kind == Rhk.Kind.MAIN],
        "additional_rhks": [r for r in rhks if r.kind == Rhk.Kind.ADDITIONAL],
        "rhk_form": form(RhkForm, "rhk", parent_choices=parent_choices) if can_edit else None,
        "core_values": core_values,
        "approve_form": form(ApproveForm, "approve"),
        "return_form": form(NoteForm, "return"),
        "reopen_form": form(NoteForm, "reopen"),
        "print_form": PrintForm(initial={"tanggal": today}),
        "events": events,
        "history": selectors_realisation.skp_timeline(events=events, feedback=feedback),
        "feedback_periods": feedback_periods,
        "error": error,
        "forms_with_errors": forms_with_errors,
        "tab": tab,
    }
    return render(request, "skp/detail.html", context, status=status)


@login_required
@require_GET
def detail(request, skp_id):
    return _render_detail(request, skp_id)


def act(request, skp_id, action, *, form=None, success, anchor=""):
    """Run `action()` (one service call); on a rule broken, show the page again with
    the message (and the form's errors); on success, redirect with a message."""
    if form is not None and not form.is_valid():
        return _render_detail(
            request,
            skp_id,
            status=400,
            error=_("Please correct the errors below."),
            bound={form.prefix: form},
        )
    try:
        action()
    except Forbidden as exc:
        raise PermissionDenied(str(exc.message)) from exc
    except (ApplicationError, ValidationError) as exc:
        if form is not None:
            form_add_errors(form, exc)
        message = (
            str(exc.message)
            if isinstance(exc, ApplicationError) and not exc.field_errors
            else _("Please correct the errors below.")
        )
        return _render_detail(
            request,
            skp_id,
            status=getattr(exc, "status_code", 400),
            error=message,
            bound={form.prefix: form} if form is not None else None,
        )
    messages.success(request, success)
    return redirect(reverse("skp:detail", args=[skp_id]) + anchor)


def skp_or_404(skp_id) -> Skp:
    return get_object_or_404(Skp, pk=skp_id)


@login_required
@require_POST
def submit(request, skp_id):
    skp = skp_or_404(skp_id)
    return act(
        request,
        skp_id,
        lambda: services.skp_submit(skp=skp, user=request.user),
        success=_("Your SKP was submitted to your pejabat penilai."),
    )


@login_required
@require_POST
def approve(request, skp_id):
    skp = skp_or_404(skp_id)
    form = ApproveForm(request.POST, prefix="approve")
    return act(
        request,
        skp_id,
        lambda: services.skp_approve(skp=skp, user=request.user, **form.cleaned_data),
        form=form,
        success=_("The SKP was approved."),
    )


@login_required
@require_POST
def return_(request, skp_id):
    skp = skp_or_404(skp_id)
    form = NoteForm(request.POST, prefix="return")
    return act(
        request,
        skp_id,
        lambda: services.skp_return(skp=skp, user=request.user, **form.cleaned_data),
        form=form,
        success=_("The SKP was returned to its owner for revision."),
    )


@login_required
@require_POST
def reopen(request, skp_id):
    skp = skp_or_404(skp_id)
    form = NoteForm(request.POST, prefix="reopen")
    return act(
        request,
        skp_id,
        lambda: services.skp_reopen(skp=skp, user=request.user, **form.cleaned_data),
        form=form,
        success=_("The SKP was reopened for revision."),
    )


@login_required
@require_POST
def expectation(request, skp_id, core_value):
    if core_value not in CoreValue.values:
        raise Http404
    skp = skp_or_404(skp_id)
    form = ExpectationForm(request.POST, prefix=f"exp-{core_value}")
    return act(
        request,
        skp_id,
        lambda: services.skp_expectation_set(
            skp=skp, user=request.user, core_value=core_value, text=form.cleaned_data["text"]
        ),
        form=form,
        success=_("The expectation was saved."),
        anchor="#perilaku",
    )


@login_required
@require_GET
def print_pdf(request, skp_id):
    """The printable SKP; `?tanggal=YYYY-MM-DD` is the date in its header (default
    today), `?bulan=1..12` prints the monthly form for that month (default: the year)."""
    skp = _visible_skp(request, skp_id)
    query = request.GET.copy()
    query.setdefault("tanggal", timezone.localdate().isoformat())
    form = PrintForm(query)
    if not form.is_valid():
        return HttpResponseBadRequest(
            _("The date must be a valid date in the form YYYY-MM-DD, the month 1 to 12."),
            content_type="text/plain; charset=utf-8",
        )
    pdf = render_skp_pdf(
        skp=skp,
        doc=selectors.skp_document(skp=skp, on=timezone.localdate()),
        header_date=form.cleaned_data["tanggal"],
        month=form.cleaned_data["bulan"],
    )
    response = HttpResponse(pdf, content_type="application/pdf")
    filename = f"SKP-{skp.year}-{skp.employee_nip or skp.employee.nip}.pdf"
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    return response
