"""Business actions on an SKP's plan: its RHK (rencana hasil kerja) and their indicators,
changed by the owner while the SKP is a draft or returned. One transaction each."""

from django.db import transaction
from django.db.models import Max
from django.utils.translation import gettext as _

from config.exceptions import ApplicationError

from .models import Indicator, Rhk, Skp
from .services_guards import lock_for_editing

# --- RHK and indicators ----------------------------------------------------------------


def _check_parent_rhk(skp: Skp, parent_rhk: Rhk | None) -> None:
    if parent_rhk is None:
        return
    superior_id = skp.position.superior_id
    parent_skp = parent_rhk.skp
    if superior_id is None or parent_skp.position_id != superior_id or parent_skp.year != skp.year:
        raise ApplicationError(
            field_errors={
                "parent_rhk": [
                    _("Choose an RHK of your superior position's SKP for the same year.")
                ]
            }
        )


@transaction.atomic
def rhk_create(
    *, skp: Skp, user, text: str, kind: str = Rhk.Kind.MAIN, parent_rhk: Rhk | None = None
) -> Rhk:
    skp = lock_for_editing(skp, user)
    _check_parent_rhk(skp, parent_rhk)
    last = skp.rhks.aggregate(m=Max("order"))["m"]
    rhk = Rhk(
        skp=skp,
        text=(text or "").strip(),
        kind=kind,
        parent_rhk=parent_rhk,
        order=(last or 0) + 1,
    )
    rhk.full_clean()
    rhk.save()
    return rhk


RHK_FIELDS = {"text", "kind", "parent_rhk", "order"}


@transaction.atomic
def rhk_update(*, rhk: Rhk, user, data: dict) -> Rhk:
    """Change `data`'s fields (text, kind, parent_rhk, order) of an RHK."""
    lock_for_editing(rhk.skp, user)
    rhk = Rhk.objects.select_related("skp__position").get(pk=rhk.pk)
    fields = [f for f in data if f in RHK_FIELDS]
    if "parent_rhk" in data:
        _check_parent_rhk(rhk.skp, data["parent_rhk"])
    for f in fields:
        value = data[f]
        setattr(rhk, f, value.strip() if isinstance(value, str) else value)
    rhk.full_clean()
    if fields:
        rhk.save(update_fields=fields)
    return rhk


@transaction.atomic
def rhk_delete(*, rhk: Rhk, user) -> None:
    lock_for_editing(rhk.skp, user)
    rhk.delete()


INDICATOR_FIELDS = {"text", "target", "unit", "aspect"}


def _same_name(a: str, b: str) -> bool:
    return " ".join(a.split()).casefold() == " ".join(b.split()).casefold()


def _check_indicator_name(indicator: Indicator) -> None:
    """M-SKP: indicators with the same name were hidden and had to be cross-checked;
    here one RHK simply cannot have two indicators of the same name."""
    others = (
        Indicator.objects.filter(rhk_id=indicator.rhk_id)
        .exclude(pk=indicator.pk)
        .values_list("text", flat=True)
    )
    if any(_same_name(indicator.text, other) for other in others):
        raise ApplicationError(
            field_errors={"text": [_("This RHK already has an indicator with that name.")]}
        )


@transaction.atomic
def indicator_create(
    *, rhk: Rhk, user, text: str, target: str, unit: str, aspect: str = Indicator.Aspect.QUANTITY
) -> Indicator:
    lock_for_editing(rhk.skp, user)
    indicator = Indicator(
        rhk=rhk,
        text=(text or "").strip(),
        target=(target or "").strip(),
        unit=(unit or "").strip(),
        aspect=aspect,
    )
    indicator.full_clean()
    _check_indicator_name(indicator)
    indicator.save()
    return indicator


@transaction.atomic
def indicator_update(*, indicator: Indicator, user, data: dict) -> Indicator:
    lock_for_editing(indicator.rhk.skp, user)
    indicator = Indicator.objects.get(pk=indicator.pk)
    fields = [f for f in data if f in INDICATOR_FIELDS]
    for f in fields:
        value = data[f]
        setattr(indicator, f, value.strip() if isinstance(value, str) else value)
    indicator.full_clean()
    _check_indicator_name(indicator)
    if fields:
        indicator.save(update_fields=fields)
    return indicator


@transaction.atomic
def indicator_delete(*, indicator: Indicator, user) -> None:
    lock_for_editing(indicator.rhk.skp, user)
    indicator.delete()
