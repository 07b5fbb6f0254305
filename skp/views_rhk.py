"""SKP plan pages: the owner adds, edits and deletes RHK and their indicators (one
service call each, shown again on the SKP page with the errors next to their inputs)."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import selectors, services
from .forms import IndicatorForm, RhkForm
from .models import Indicator, Rhk, Skp
from .views import act, skp_or_404


def _rhk(skp_id, rhk_id) -> Rhk:
    return get_object_or_404(Rhk.objects.select_related("skp"), pk=rhk_id, skp_id=skp_id)


def _indicator(skp_id, indicator_id) -> Indicator:
    return get_object_or_404(
        Indicator.objects.select_related("rhk__skp"), pk=indicator_id, rhk__skp_id=skp_id
    )


def _parent_choices(skp: Skp):
    return selectors.parent_rhk_choices(skp=skp)


@login_required
@require_POST
def rhk_add(request, skp_id):
    skp = skp_or_404(skp_id)
    form = RhkForm(request.POST, prefix="rhk", parent_choices=_parent_choices(skp))
    return act(
        request,
        skp_id,
        lambda: services.rhk_create(skp=skp, user=request.user, **form.cleaned_data),
        form=form,
        success=_("The RHK was added."),
        anchor="#rhk",
    )


@login_required
@require_POST
def rhk_edit(request, skp_id, rhk_id):
    rhk = _rhk(skp_id, rhk_id)
    form = RhkForm(request.POST, prefix=f"rhk{rhk.pk}", parent_choices=_parent_choices(rhk.skp))
    return act(
        request,
        skp_id,
        lambda: services.rhk_update(rhk=rhk, user=request.user, data=form.cleaned_data),
        form=form,
        success=_("The RHK was saved."),
        anchor=f"#rhk-{rhk.pk}",
    )


@login_required
@require_POST
def rhk_delete(request, skp_id, rhk_id):
    rhk = _rhk(skp_id, rhk_id)
    return act(
        request,
        skp_id,
        lambda: services.rhk_delete(rhk=rhk, user=request.user),
        success=_("The RHK was deleted."),
        anchor="#rhk",
    )


@login_required
@require_POST
def indicator_add(request, skp_id, rhk_id):
    rhk = _rhk(skp_id, rhk_id)
    form = IndicatorForm(request.POST, prefix=f"rhk{rhk.pk}-ind")
    return act(
        request,
        skp_id,
        lambda: services.indicator_create(rhk=rhk, user=request.user, **form.cleaned_data),
        form=form,
        success=_("The indicator was added."),
        anchor=f"#rhk-{rhk.pk}",
    )


@login_required
@require_POST
def indicator_edit(request, skp_id, indicator_id):
    indicator = _indicator(skp_id, indicator_id)
    form = IndicatorForm(request.POST, prefix=f"ind{indicator.pk}")
    return act(
        request,
        skp_id,
        lambda: services.indicator_update(
            indicator=indicator, user=request.user, data=form.cleaned_data
        ),
        form=form,
        success=_("The indicator was saved."),
        anchor=f"#rhk-{indicator.rhk_id}",
    )


@login_required
@require_POST
def indicator_delete(request, skp_id, indicator_id):
    indicator = _indicator(skp_id, indicator_id)
    return act(
        request,
        skp_id,
        lambda: services.indicator_delete(indicator=indicator, user=request.user),
        success=_("The indicator was deleted."),
        anchor=f"#rhk-{indicator.rhk_id}",
    )
