"""Who may do what in the workflow: the one home of each role rule.

Services enforce these rules; pages, the API, the counter and the header ask the same
functions what to offer, so a page never offers what the service would refuse.
"""

import functools

from django.conf import settings
from django.contrib.auth import get_user_model
from django.db import router
from django.db.models import Q
from django.utils import translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from config.compiled import CompiledOnce
from config.exceptions import Forbidden
from organization.models import StaffMembership
from services_catalog.models import Step

from .models import Channel

Role = StaffMembership.Role
# Who works a unit's tasks (clerks see them but do not work them).
WORKER_ROLES = (Role.STAFF, Role.SUPERVISOR)


def membership_roles(user, unit_id) -> set[str]:
    """The user's roles in one unit (empty for anonymous users)."""
    if not user or not user.is_authenticated:
        return set()
    return set(
        StaffMembership.objects.filter(user=user, unit_id=unit_id).values_list("role", flat=True)
    )


# The capacities a history row records, by key. Rows store the label in the language of
# the moment they were written; `acting_as_label` shows it in the reader's language.
_CAPACITIES = {
    "applicant": gettext_lazy("Applicant"),
    "supervisor": gettext_lazy("Supervisor"),
    "staff": gettext_lazy("Staff"),
    "clerk": gettext_lazy("Counter clerk"),
    "system": gettext_lazy("System"),
}


@functools.cache
def _capacity_keys() -> dict[str, str]:
    """Every language's label of each capacity -> its key."""
    keys = {}
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            keys.update({str(label): key for key, label in _CAPACITIES.items()})
    return keys


def acting_as_label(text: str) -> str:
    """A stored "acting as" ("Staf, Seksi PHU", "Pemohon") in the active language; text
    of another shape (an SKP acting title) is shown as it was written."""
    head, sep, rest = (text or "").partition(", ")
    key = _capacity_keys().get(head)
    return f"{_CAPACITIES[key]}{sep}{rest}" if key else (text or "")


def acting_as_staff(user, unit, roles=None) -> str:
    """The history's "acting as" for staff: "Supervisor/Staff/Counter clerk, <unit>"."""
    roles = roles if roles is not None else membership_roles(user, unit.pk)
    if Role.SUPERVISOR in roles:
        role = _("Supervisor")
    elif Role.STAFF in roles:
        role = _("Staff")
    elif Role.CLERK in roles:
        role = _("Counter clerk")
    else:
        role = _("Staff")
    return f"{role}, {unit.name}"


# --- the step's staff group ------------------------------------------------------------
# A step may name a staff group: then only members of that group, and the unit's
# supervisors, work it. `may_take_step` is the rule; `steps_barred_by_group` and
# `step_group_q` are the same rule as a query filter for the unit queue.


def may_take_step(*, roles: set[str], group_ids, step_group_id) -> bool:
    """Whether someone with `roles` in the step's unit and in groups `group_ids` may
    work a step whose staff group is `step_group_id` (None: anyone of the unit)."""
    if not roles & set(WORKER_ROLES):
        return False
    return step_group_id is None or Role.SUPERVISOR in roles or step_group_id in set(group_ids)


def steps_barred_by_group(user):
    """`may_take_step` from the other side: the steps whose staff group `user` is not in
    (their unit's supervisors still take them). A subquery of step ids."""
    return Step.objects.filter(group__isnull=False).exclude(group__user=user).values("pk")


def step_group_q(*, barred_step_ids, supervised_unit_ids) -> Q:
    """`may_take_step` for a queryset of tasks (the caller already limits to the units
    where the user works), on the task's own columns: not a step barred to the user by
    its staff group (`steps_barred_by_group`), unless the user supervises the unit."""
    if not barred_step_ids:
        return Q()
    condition = ~Q(step_id__in=barred_step_ids)
    if supervised_unit_ids:
        condition |= Q(unit_id__in=supervised_unit_ids)
    return condition


def may_work(user, *, unit_id, step_group_id, roles=None) -> bool:
    roles = roles if roles is not None else membership_roles(user, unit_id)
    group_ids = user.groups.values_list("pk", flat=True) if step_group_id else ()
    return may_take_step(roles=roles, group_ids=group_ids, step_group_id=step_group_id)


def eligible_assignees(pairs) -> dict[tuple[int, int | None], list]:
    """For each (unit id, step group id) in `pairs`: the active users a supervisor may
    give such a task to, ordered by username. One query for all pairs; `task_assign`
    refuses anyone not listed here."""
    pairs = set(pairs)
    if not pairs:
        return {}
    unit_ids = {unit_id for unit_id, _group in pairs}
    users = (
        get_user_model()
        .objects.filter(
            is_active=True,
            memberships__unit_id__in=unit_ids,
            memberships__role__in=WORKER_ROLES,
        )
        .distinct()
        .prefetch_related("groups", "memberships")
        .order_by("username")
    )
    out: dict = {pair: [] for pair in pairs}
    for user in users:
        group_ids = {g.pk for g in user.groups.all()}
        for unit_id, group_id in pairs:
            roles = {m.role for m in user.memberships.all() if m.unit_id == unit_id}
            if may_take_step(roles=roles, group_ids=group_ids, step_group_id=group_id):
                out[(unit_id, group_id)].append(user)
    return out


def assignees_for_task(task) -> list:
    """The people the staff page offers for `task` (exactly those `task_assign` takes)."""
    key = (task.unit_id, task.step.group_id)
    return eligible_assignees([key])[key]


# --- the PTSP counter ------------------------------------------------------------------


def clerk_office_ids(user) -> set[int]:
    """Offices where the user registers walk-in requests (a `clerk` membership)."""
    if not user or not user.is_authenticated:
        return set()
    alias = router.db_for_read(StaffMembership)
    return {office_id for (office_id,) in _CLERK_OFFICES.rows(alias, user_id=user.pk)}


def clerk_offices_query(user_id: int):
    """The office ids of `clerk_office_ids`, as a queryset (also a subquery of the staff
    queue's reach)."""
    return StaffMembership.objects.filter(user=user_id, role=Role.CLERK).values_list(
        "unit__office_id"
    )


# Asked on every staff page (the header's counter link): built and compiled once.
_CLERK_OFFICES = CompiledOnce(clerk_offices_query, user_id=-917_351_137)


def clerk_unit(user, *, office_id):
    """The unit (the PTSP) where the user is a counter clerk in `office_id`, or None."""
    membership = (
        StaffMembership.objects.filter(user=user, role=Role.CLERK, unit__office_id=office_id)
        .select_related("unit")
        .order_by("unit__name", "pk")
        .first()
    )
    return membership.unit if membership else None


def is_counter_clerk(user, *, office_id=None, reach=None) -> bool:
    """A counter clerk (of `office_id`, when given); no query given `reach`, the user's
    staff-queue `QueueReach` read with its links."""
    if reach is not None and reach.clerk_offices is not None:
        offices = set(reach.clerk_offices)
    else:
        offices = clerk_office_ids(user)
    return bool(offices) if office_id is None else office_id in offices


def check_counter_clerk(user, *, service) -> None:
    if not user or not user.is_authenticated:
        raise Forbidden(_("Only a counter clerk may register a request at the counter."))
    if not is_counter_clerk(user, office_id=service.unit.office_id):
        raise Forbidden(_("Only a counter clerk of this office may register a request here."))


def submission_channel(user) -> str:
    """The channel of a submission by `user` where none is chosen (the API): a counter
    clerk registers at the counter, everyone else applies online."""
    return Channel.COUNTER if is_counter_clerk(user) else Channel.ONLINE


# --- internal services: steps routed to the applicant's superior or the applicant ------


def employee_of(user):
    """The employee record of a logged-in user, or None."""
    from organization.models import Employee

    if not user or not user.is_authenticated:
        return None
    return Employee.objects.filter(user=user).first()


def superior_position_of(user, on):
    """The superior of the definitive position the user's employee holds on `on`."""
    from organization.selectors import positions_held

    employee = employee_of(user)
    if employee is None:
        return None
    return next((p.superior for p in positions_held(employee=employee, on=on) if p.superior), None)


def routed_acting_as(user, task, on) -> str | None:
    """For a task of a step routed to the applicant's superior: the acting title when
    `user` acts for that position on `on` ("Plt. Kepala Seksi ...", or the position's
    name for the definitive holder), else None (the holder while a PLT/PLH is in force,
    anyone else). For an applicant step: "Applicant" for the applicant, else None."""
    from organization.selectors import official_for_position
    from services_catalog.models import Step

    route = task.step.route
    if route == Step.Route.APPLICANT:
        return _("Applicant") if user.pk and task.request.applicant_user_id == user.pk else None
    if route != Step.Route.SUPERIOR or task.position_id is None:
        return None
    official = official_for_position(position=task.position, on=on)
    if official is None or official.employee.user_id != user.pk:
        return None
    if task.request.applicant_user_id == user.pk:
        return None  # nobody decides their own request, even as PLT of their superior
    return official.acting_as or official.position.name


def acting_as_for_task(user, task, unit_roles, on=None) -> str:
    """The history's "acting as" of whoever works `task`."""
    from django.utils import timezone

    if task.step.route != "unit":
        return routed_acting_as(user, task, on or timezone.localdate()) or ""
    return acting_as_staff(user, task.unit, unit_roles)
