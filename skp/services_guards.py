"""The row lock and who-may-act check every SKP write starts with (call inside atomic())."""

import datetime

from django.utils.translation import gettext as _

from config.exceptions import Conflict, Forbidden
from organization.selectors import Official

from .models import EDITABLE_STATUSES, Skp
from .selectors import employee_required, skp_reviewer


def lock_skp(skp: Skp) -> Skp:
    """The SKP row, re-read under SELECT ... FOR NO KEY UPDATE (call inside atomic()).
    Writers of one SKP still queue on it, but rows that merely point at the SKP (a lock's
    snapshot, history rows) need no wait: their foreign-key check would otherwise
    deadlock against a write waiting for that month's payment lock."""
    return (
        Skp.objects.select_for_update(of=("self",), no_key=True)
        .select_related("employee", "position", "position__unit", "position__superior")
        .get(pk=skp.pk)
    )


def lock_for_editing(skp: Skp, user) -> Skp:
    """Lock `skp` and check that `user` owns it and it is still editable."""
    employee = employee_required(user)
    skp = lock_skp(skp)
    if skp.employee_id != employee.pk:
        raise Forbidden(_("Only the owner may change this SKP."))
    if skp.status not in EDITABLE_STATUSES:
        raise Conflict(_("This SKP can only be changed while it is a draft or returned."))
    return skp


def lock_for_penilai(
    skp: Skp, user, *, on: datetime.date, evaluating: bool = False
) -> tuple[Skp, Official]:
    """Lock `skp` and check that `user` acts on day `on` for the owner's superior position
    (the PLT/PLH in force replaces the definitive holder); nobody acts on their own SKP.
    One rule for validating the SKP and for evaluating it; only the wording differs."""
    employee = employee_required(user)
    skp = lock_skp(skp)
    if skp.employee_id == employee.pk:
        raise Forbidden(
            _("Nobody may evaluate their own SKP.")
            if evaluating
            else _("Nobody may validate their own SKP.")
        )
    reviewer = skp_reviewer(skp=skp, on=on)
    if reviewer is None or reviewer.employee.pk != employee.pk:
        raise Forbidden(
            _(
                "Only whoever acts for the owner's superior position today (the PLT/PLH in "
                "force, else the definitive holder) may do this."
            )
            if evaluating
            else _(
                "Only whoever acts for the owner's superior position today (the PLT/PLH in "
                "force, else the definitive holder) may validate this SKP."
            )
        )
    return skp, reviewer
