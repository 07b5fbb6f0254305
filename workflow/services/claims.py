"""Who holds a staff task: claim, release, assign. `hand_over` is the one claim sequence
(holder, staff-side history row, and the start of a `submitted` request), shared with
the decisions, which claim an unclaimed task first."""

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.exceptions import ApplicationError, Conflict, Forbidden, NotFound, error_messages

from .. import roles
from ..models import RequestEvent, RequestStatus, Task
from ._common import lock_task, now, record, transition


def require_worker(user, task) -> set[str]:
    """The user's roles in the task's unit; NotFound outside it (object-level filtering),
    Forbidden when the step belongs to a staff group the user is not in."""
    if task.step.route != "unit":
        # Routed to a person (the applicant's superior of the day, or the applicant).
        if roles.routed_acting_as(user, task, timezone.localdate()) is None:
            raise NotFound()
        return set()
    unit_roles = roles.membership_roles(user, task.unit_id)
    if not unit_roles & set(roles.WORKER_ROLES):
        raise NotFound()
    if not roles.may_work(
        user, unit_id=task.unit_id, step_group_id=task.step.group_id, roles=unit_roles
    ):
        raise Forbidden(_("This step is handled by another group of your unit."))
    return unit_roles


HELD_FIELDS = ["assigned_to", "claimed_at"]


def hand_over(request, task, *, to, actor, acting_as, kind, note="", at, save=True):
    """Give the task to `to` and write the staff-side row (`claimed`/`assigned`); the
    first hand-over of step 1 starts a `submitted` request (a public `started` row).
    `save=False`: the caller saves the task (`HELD_FIELDS` too) and the request itself,
    in the same transaction (a decision claiming its task: one update of each)."""
    task.assigned_to = to
    task.claimed_at = at
    if save:
        task.save(update_fields=HELD_FIELDS)
    record(
        request,
        kind=kind,
        actor=actor,
        acting_as=acting_as,
        from_status=request.status,
        step=task.step,
        task=task,
        note=note,
        is_transition=False,
        at=at,
    )
    if request.status == RequestStatus.SUBMITTED:
        from_status = request.status
        transition(request.start)
        if save:
            request.save()
        record(
            request,
            kind=RequestEvent.Kind.STARTED,
            actor=actor,
            acting_as=acting_as,
            from_status=from_status,
            step=task.step,
            task=task,
            at=at,
        )


def task_claim(*, task: Task, user) -> Task:
    """Take an open task from the queue. 409 when someone else holds it."""
    with transaction.atomic():
        request, task = lock_task(task)
        unit_roles = require_worker(user, task)
        if task.status != Task.Status.OPEN:
            raise Conflict(_("This task is no longer open."))
        if task.assigned_to_id == user.pk:
            return task
        if task.assigned_to_id is not None:
            raise Conflict(
                _("This task is already claimed by %(user)s.")
                % {"user": task.assigned_to.get_username()}
            )
        hand_over(
            request,
            task,
            to=user,
            actor=user,
            acting_as=roles.acting_as_for_task(user, task, unit_roles),
            kind=RequestEvent.Kind.CLAIMED,
            at=now(),
        )
    return task


def task_release(*, task: Task, user) -> Task:
    """Put a claimed task back in the queue (its holder or a supervisor of the unit)."""
    with transaction.atomic():
        request, task = lock_task(task)
        unit_roles = require_worker(user, task)
        if task.status != Task.Status.OPEN:
            raise Conflict(_("This task is no longer open."))
        if task.assigned_to_id is None:
            raise Conflict(_("This task is not claimed."))
        if task.assigned_to_id != user.pk and roles.Role.SUPERVISOR not in unit_roles:
            raise Forbidden(_("Only the holder or a supervisor may release this task."))
        previous = task.assigned_to.get_username()
        task.assigned_to = None
        task.claimed_at = None
        task.save(update_fields=["assigned_to", "claimed_at"])
        record(
            request,
            kind=RequestEvent.Kind.RELEASED,
            actor=user,
            acting_as=roles.acting_as_for_task(user, task, unit_roles),
            from_status=request.status,
            step=task.step,
            task=task,
            note=previous,
            is_transition=False,
        )
    return task


def _assignee_refusal(assignee, task) -> str | None:
    """Why `assignee` may not be given `task` (None: they may, per
    `roles.eligible_assignees`, the list the staff page offers)."""
    if assignee is not None and assignee in roles.assignees_for_task(task):
        return None
    if assignee is None or not (
        roles.membership_roles(assignee, task.unit_id) & set(roles.WORKER_ROLES)
    ):
        return _("Choose a staff member of this unit.")
    if not assignee.is_active:
        return _("This account is inactive.")
    return _("This person is not in the step's staff group.")


def task_assign(*, task: Task, assignee, user) -> Task:
    """A supervisor of the task's unit gives it to a staff member of that unit (one the
    step's staff group rule accepts)."""
    with transaction.atomic():
        request, task = lock_task(task)
        unit_roles = require_worker(user, task)
        if roles.Role.SUPERVISOR not in unit_roles:
            raise Forbidden(_("Only a supervisor of the unit may assign tasks."))
        if task.status != Task.Status.OPEN:
            raise Conflict(_("This task is no longer open."))
        refusal = _assignee_refusal(assignee, task)
        if refusal:
            raise ApplicationError(field_errors={"user": [refusal]})
        hand_over(
            request,
            task,
            to=assignee,
            actor=user,
            acting_as=roles.acting_as_for_task(user, task, unit_roles),
            kind=RequestEvent.Kind.ASSIGNED,
            note=assignee.get_username(),
            at=now(),
        )
    return task


# --- several tasks at once (the queue's bulk actions) ------------------------------------
# Each task goes through `task_claim`/`task_assign` in its own transaction, so every
# task's rules and permissions are checked as for one; a task that is refused (someone
# else took it meanwhile, another staff group) leaves the others done.

MAX_BULK = 100


def _each(tasks, action) -> tuple[list[Task], list[tuple[Task, str]]]:
    if len(tasks) > MAX_BULK:
        raise ApplicationError(_("Choose at most %(n)d tasks at once.") % {"n": MAX_BULK})
    done, refused = [], []
    for task in tasks:
        try:
            action(task)
        except ApplicationError as exc:
            refused.append((task, " ".join(error_messages(exc))))
        else:
            done.append(task)
    return done, refused


def tasks_claim(*, tasks, user):
    """Claim each of `tasks` -> (claimed, [(task, why refused)])."""
    return _each(tasks, lambda task: task_claim(task=task, user=user))


def tasks_assign(*, tasks, assignee, user):
    """Assign each of `tasks` to `assignee` -> (assigned, [(task, why refused)])."""
    return _each(tasks, lambda task: task_assign(task=task, assignee=assignee, user=user))
