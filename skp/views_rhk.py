"""SKP plan pages: the owner adds, edits and deletes RHK and their indicators (one
service call each, shown again on the SKP page with the errors next to their inputs).

RHK and indicators are edited and deleted the same way; what differs (how one is found
within its SKP, its form, its services, where the page scrolls back to) is a `_Part`, and
`_edit`/`_delete` make the two views of each from it."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
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


@dataclass(frozen=True)
class _Part:
    name: str  # the services' keyword for it, and its URL's `<name>_id`
    find: Callable  # (skp_id, pk) -> the part, or 404
    form: Callable  # (POST data, part) -> its bound edit form
    update: Callable
    delete: Callable
    saved: str
    deleted: str
    anchor: Callable  # part -> where the page scrolls back to after a save
    anchor_deleted: Callable  # part -> the same after a delete (the part itself is gone)


RHK = _Part(
    name="rhk",
    find=_rhk,
    form=lambda data, rhk: RhkForm(
        data, prefix=f"rhk{rhk.pk}", parent_choices=_parent_choices(rhk.skp)
    ),
    update=services.rhk_update,
    delete=services.rhk_delete,
    saved=gettext_lazy("The RHK was saved."),
    deleted=gettext_lazy("The RHK was deleted."),
    anchor=lambda rhk: f"#rhk-{rhk.pk}",
    anchor_deleted=lambda rhk: "#rhk",
)
INDICATOR = _Part(
    name="indicator",
    find=_indicator,
    form=lambda data, indicator: IndicatorForm(data, prefix=f"ind{indicator.pk}"),
    update=services.indicator_update,
    delete=services.indicator_delete,
    saved=gettext_lazy("The indicator was saved."),
    deleted=gettext_lazy("The indicator was deleted."),
    anchor=lambda indicator: f"#rhk-{indicator.rhk_id}",
    anchor_deleted=lambda indicator: f"#rhk-{indicator.rhk_id}",
)


def _edit(part: _Part):
    @login_required
    @require_POST
    def edit(request, skp_id, **ids):
        obj = part.find(skp_id, ids[f"{part.name}_id"])
        form = part.form(request.POST, obj)
        return act(
            request,
            skp_id,
            lambda: part.update(user=request.user, data=form.cleaned_data, **{part.name: obj}),
            form=form,
            success=part.saved,
            anchor=part.anchor(obj),
        )

    return edit


def _delete(part: _Part):
    @login_required
    @require_POST
    def delete(request, skp_id, **ids):
        obj = part.find(skp_id, ids[f"{part.name}_id"])
        return act(
            request,
            skp_id,
            lambda: part.delete(user=request.user, **{part.name: obj}),
            success=part.deleted,
            anchor=part.anchor_deleted(obj),
        )

    return delete


rhk_edit, rhk_delete = _edit(RHK), _delete(RHK)
indicator_edit, indicator_delete = _edit(INDICATOR), _delete(INDICATOR)


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
