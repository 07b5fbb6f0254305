"""Who may see which part of the dashboard: the one home of that rule.

- a head of office (whoever acts for the office's head position today, PLT/PLH included)
  sees the whole office;
- a supervisor sees the units they supervise;
- a superuser sees every office (they administer the whole installation);
- anyone else (staff, clerks, HR, an admin login that is not a superuser) is refused:
  the figures name units and people's workload, so the page is for those who steer.
"""

from dataclasses import dataclass

from django.db import router
from django.utils import timezone

from config.compiled import CompiledOnce
from organization.models import Office, StaffMembership, Unit
from organization.selectors import headed_office_ids


@dataclass(frozen=True)
class Scope:
    """What one dashboard page shows: an office, or one unit of it."""

    office: Office
    unit: Unit | None = None


@dataclass(frozen=True)
class Allowed:
    """The offices the user may see, each as a whole (units None) or as some units."""

    offices: list  # [Office]
    units: dict  # office id -> [Unit] the user may pick; whole: every unit of the office
    whole: set  # office ids seen as a whole

    def __bool__(self) -> bool:
        return bool(self.offices)


def _supervised_units(user):
    return list(
        Unit.objects.filter(
            memberships__user=user, memberships__role=StaffMembership.Role.SUPERVISOR
        )
        .select_related("office")
        .order_by("office__code", "name")
        .distinct()
    )


def may_see_dashboard(user, *, reach=None) -> bool:
    """The staff navigation's question (one or two queries, only on staff pages; none
    given `reach`, the user's staff-queue `QueueReach` read with its links)."""
    if not user or not user.is_authenticated:
        return False
    if user.is_superuser:
        return True
    if reach is not None and reach.headed_offices is not None:
        return bool(reach.supervised or reach.headed_offices)
    alias = router.db_for_read(StaffMembership)
    supervises = bool(_SUPERVISES.rows(alias, user_id=user.pk))
    return supervises or bool(headed_office_ids(user, on=timezone.localdate()))


def _supervises(user_id: int):
    return StaffMembership.objects.filter(
        user=user_id, role=StaffMembership.Role.SUPERVISOR
    ).values_list("pk")[:1]


# Asked on every staff page (the header's dashboard link): built and compiled once.
_SUPERVISES = CompiledOnce(_supervises, user_id=-917_351_131)


def allowed_for(user) -> Allowed:
    """Everything `user` may see on the dashboard (three queries at most)."""
    if not user or not user.is_authenticated:
        return Allowed([], {}, set())
    if user.is_superuser:
        whole = set(Office.objects.values_list("pk", flat=True))
    else:
        whole = headed_office_ids(user, on=timezone.localdate())
    supervised = [] if user.is_superuser else _supervised_units(user)
    office_ids = whole | {u.office_id for u in supervised}
    offices = list(Office.objects.filter(pk__in=office_ids).order_by("code"))
    units: dict = {o.pk: [] for o in offices}
    for unit in Unit.objects.filter(office_id__in=whole).order_by("name"):
        units[unit.office_id].append(unit)
    for unit in supervised:
        if unit.office_id not in whole:
            units[unit.office_id].append(unit)
    return Allowed(offices, units, whole)


def scope_of(allowed: Allowed, *, office_code: str = "", unit_code: str = "") -> Scope | None:
    """The office and unit asked for, if allowed (else the first allowed); None: nothing."""
    if not allowed:
        return None
    office = next((o for o in allowed.offices if o.code == office_code), allowed.offices[0])
    units = allowed.units.get(office.pk, [])
    unit = next((u for u in units if u.code == unit_code), None)
    if unit is None and office.pk not in allowed.whole:
        if not units:
            return None
        unit = units[0]  # a supervisor sees their units only, one at a time
    return Scope(office=office, unit=unit)
