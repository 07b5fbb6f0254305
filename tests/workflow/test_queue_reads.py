"""The queue's reads against the rules they stand for: every open task a user may see,
built case by case (unit tasks with and without a staff group, claimed or not, a
supervised unit, another office, tasks routed in person by the PLT/PLH rule, the user's
own internal requests), is in exactly the tabs the one-task rules say (`may_take_step`,
`official_for_position`), in the lists, the tab counts, the header's badge, the page and
the API. The queries read candidate rows by index; this proves none is lost or added."""

import datetime

import pytest
import time_machine
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from organization.models import ActingAssignment, Position, StaffMembership
from organization.selectors import official_for_position
from tests import factories
from tests.attendance.conftest import client_for
from workflow import roles, selectors_queue, services
from workflow.models import Task
from workflow.queue_reach import QueueReach
from workflow.selectors_queue import (
    SCOPES,
    QueueFilters,
    overdue_count,
    queue_counts,
    queue_tasks,
    tab_page,
)

pytestmark = pytest.mark.django_db
User = get_user_model()

DAY = datetime.timedelta(days=1)


def _expected(user, today) -> dict[str, set[int]]:
    """Each tab by the one-task rules, task by task (no queue code involved)."""
    memberships = list(StaffMembership.objects.filter(user=user))
    group_ids = set(user.groups.values_list("pk", flat=True))
    tabs = {scope: set() for scope in SCOPES}
    for task in Task.objects.filter(status=Task.Status.OPEN).select_related("step", "request"):
        if task.step.route == "unit":
            unit_roles = {m.role for m in memberships if m.unit_id == task.unit_id}
            if not unit_roles & set(roles.WORKER_ROLES):
                continue
            mine = task.assigned_to_id == user.pk
            queue = task.assigned_to_id is None and roles.may_take_step(
                roles=unit_roles, group_ids=group_ids, step_group_id=task.step.group_id
            )
            supervised = roles.Role.SUPERVISOR in unit_roles
        else:
            own = task.request.applicant_user_id == user.pk
            if task.step.route == "applicant":
                mine = own
            else:
                official = official_for_position(position=task.position, on=today)
                mine = not own and official is not None and official.employee.user_id == user.pk
            queue = supervised = False
        if mine:
            tabs["mine"].add(task.pk)
        if queue:
            tabs["queue"].add(task.pk)
        if mine or queue or supervised:
            tabs["all"].add(task.pk)
    return tabs


@pytest.fixture
def world(db):
    """One user, Rina: staff of `u1` (in staff group "arsip"), supervisor of `u2`, no
    member of `u3` (another office) nor of `tu`; holds position `held`, acts as PLT for `plt_for`,
    holds `replaced` whose duties a PLT in force (someone else) has taken over; applies
    for internal services herself."""
    today = timezone.localdate()
    rina = factories.EmployeeFactory(name="Rina Marlina", user__username="rina")
    user = rina.user
    arsip, other_group = Group.objects.create(name="arsip"), Group.objects.create(name="lain")
    user.groups.add(arsip)
    office = factories.OfficeFactory(code="KJB")
    u1 = factories.UnitFactory(office=office, code="ptsp")
    u2 = factories.UnitFactory(office=office, code="phu")
    u3 = factories.UnitFactory(office=factories.OfficeFactory(code="KWJ"), code="ptsp")
    factories.StaffMembershipFactory(user=user, unit=u1, role="staff")
    factories.StaffMembershipFactory(user=user, unit=u2, role="supervisor")
    factories.StaffMembershipFactory(user=user, unit=u3, role="clerk")  # sees, never works
    colleague = factories.UserFactory(username="budi")
    factories.StaffMembershipFactory(user=colleague, unit=u1)
    positions = {
        name: factories.PositionFactory(unit=u1, name=name)
        for name in ("held", "plt_for", "replaced", "unrelated", "vacant")
    }
    factories.PositionHoldingFactory(employee=rina, position=positions["held"])
    factories.PositionHoldingFactory(employee=rina, position=positions["replaced"])
    factories.ActingAssignmentFactory(employee=rina, position=positions["plt_for"])
    factories.ActingAssignmentFactory(position=positions["replaced"])  # someone else's PLT
    factories.PositionHoldingFactory(position=positions["unrelated"])
    ended = factories.ActingAssignmentFactory(employee=rina, position=positions["vacant"])
    ended.start_date, ended.end_date = today - 30 * DAY, today - DAY
    ended.save()

    def step(unit, route="unit", group=None):
        service = factories.ServiceTypeFactory(unit=unit)
        return factories.StepFactory(service=service, unit=unit, route=route, group=group)

    def task(step_, *, assigned=None, status="open", applicant=None, position=None, late=0):
        request = factories.ServiceRequestFactory(
            service=step_.service, applicant_user=applicant, channel="internal"
        )
        return factories.TaskFactory(
            request=request,
            step=step_,
            assigned_to=assigned,
            status=status,
            position=position,
            due_date=today + (-late if late else 3) * DAY,
            overdue=late > 1,
        )

    plain1, arsip1, other1 = step(u1), step(u1, group=arsip), step(u1, group=other_group)
    other2, plain3 = step(u2, group=other_group), step(u3)
    # Routed steps are mostly another unit's (the personnel section's leave service),
    # where she is no member; one of each in her own unit, which stays out of its queue.
    tu = factories.UnitFactory(office=office, code="tu")
    superior, applicant = step(tu, "superior"), step(tu, "applicant")
    task(step(u1, "superior"), position=positions["plt_for"])
    task(step(u1, "applicant"), applicant=user)
    for s in (plain1, arsip1, other1, other2, plain3):
        task(s)
        task(s, late=1)
        task(s, assigned=user)
        task(s, assigned=colleague, late=2)
        task(s, assigned=user, status="done")
    task(plain1, applicant=user)  # her own request at a unit step: the unit's work
    for name, position in positions.items():
        task(superior, position=position, late=2 if name == "plt_for" else 0)
        task(superior, position=position, applicant=user)  # never decides her own
        task(superior, position=position, status="done")
    task(applicant, applicant=user, late=1)
    task(applicant, applicant=colleague)
    task(applicant, applicant=user, status="cancelled")
    return user, _expected(user, today)


def _numbers(tasks) -> set[str]:
    return {t.request.registration_number for t in tasks}


def test_every_tab_holds_exactly_what_the_rules_say(world):
    user, expected = world
    # the case list is meant to reach every kind of row: guard it against drift
    assert [len(expected[s]) for s in SCOPES] == [9, 7, 17], expected
    for scope in SCOPES:
        assert {t.pk for t in queue_tasks(user, scope)} == expected[scope], scope
    counts = queue_counts(user)
    assert {s: counts[s] for s in SCOPES} == {s: len(expected[s]) for s in SCOPES}
    today = timezone.localdate()
    late = {
        t.pk for t in Task.objects.filter(pk__in=expected["all"]) if t.overdue or t.due_date < today
    }
    assert counts["overdue"] == overdue_count(user) == len(late) > 0
    # a filter counts the tabs alone (the badge is the unfiltered "all" tab)
    filtered = queue_counts(user, QueueFilters(overdue=True))
    assert "overdue" not in filtered and filtered["all"] == len(late)


def test_the_page_and_the_api_show_the_same_rows(world):
    user, expected = world
    client = client_for(user)
    for scope in ("mine", "queue"):
        body = client.get(f"/api/v1/tasks/?scope={scope}").json()
        ids = {t["id"] for t in body["results"]}
        assert body["count"] == len(expected[scope]) and ids == expected[scope], scope
    page_client = Client()
    page_client.force_login(user)
    for scope in SCOPES:
        page = page_client.get(f"/staf/?scope={scope}")
        text = page.content.decode()
        shown = {part.split('"', 1)[0] for part in text.split('data-number="')[1:]}
        wanted = _numbers(Task.objects.filter(pk__in=expected[scope]).select_related("request"))
        assert shown == wanted, scope
    # the header's badge, as the queue page just counted it with the tabs
    badge = 'class="badge overdue header-overdue" href="/staf/?scope=all&amp;overdue=true">'
    late = queue_counts(user)["overdue"]
    assert f"{badge}{late} " in page_client.get("/staf/skp/").content.decode()


def _late(task_ids, today) -> set[int]:
    tasks = Task.objects.filter(pk__in=task_ids)
    return {t.pk for t in tasks if t.overdue or t.due_date < today}


def _matches_the_rules(user):
    """The counts (from the cache where it holds them: workflow/queue_cache.py), the
    badge and the lists are what the rules say now; a second read of the counts is a hit
    (the reach and the routed tasks' small count only: nothing over the unit's tasks)."""
    today = timezone.localdate()
    expected = _expected(user, today)
    counts = queue_counts(user)
    assert {s: counts[s] for s in SCOPES} == {s: len(expected[s]) for s in SCOPES}
    assert counts["overdue"] == len(_late(expected["all"], today))
    for scope in SCOPES:
        assert {t.pk for t in queue_tasks(user, scope)} == expected[scope], scope
    # the pages' rows, from SQL kept per process for the same reach, filters and day
    reach = QueueReach.of(user)
    for scope in SCOPES:
        for filters in (QueueFilters(), QueueFilters(overdue=True)):
            rows = tab_page(user, scope, filters, reach=reach, count=1000)[0:1000]
            want = _late(expected[scope], today) if filters.overdue else expected[scope]
            assert {row.id for row in rows} == want, (scope, filters)
    with CaptureQueriesContext(connection) as queries:
        assert queue_counts(user) == counts
    assert len(queries) == 2, [q["sql"][:80] for q in queries]
    return expected


def test_the_counts_follow_every_change_that_moves_a_task_between_tabs(world):
    """Claim, release, a colleague's claim, approve (a new task in the supervised unit),
    reassign, return, reject, the overdue mark, PLT/PLH appointments starting and ending,
    a staff group left, and midnight: after each, counts and lists match the rules."""
    user, _ = world
    budi = User.objects.get(username="budi")
    u1 = StaffMembership.objects.get(user=user, role="staff").unit
    u2 = StaffMembership.objects.get(user=user, role="supervisor").unit
    dewi = factories.UserFactory(username="dewi")
    factories.StaffMembershipFactory(user=dewi, unit=u2)
    service = factories.ServiceTypeFactory(unit=u1)
    factories.StepFactory(service=service, order=1, unit=u1, may_return=True)
    factories.StepFactory(service=service, order=2, unit=u2)
    submitted = [factories.submit_request(service).tasks.get() for _ in range(5)]
    due_today = [t.pk for t in submitted[3:]]  # late tomorrow (before any count is kept)
    Task.objects.filter(pk__in=due_today).update(due_date=timezone.localdate())
    _matches_the_rules(user)

    def step(change):
        change()
        return _matches_the_rules(user)

    first, second, third, fourth, _fifth = submitted
    assert first.pk in step(lambda: services.task_claim(task=first, user=user))["mine"]
    assert first.pk in step(lambda: services.task_release(task=first, user=user))["queue"]
    assert first.pk not in step(lambda: services.task_claim(task=first, user=budi))["all"]
    step(lambda: services.task_complete(task=first, user=budi, decision="approve"))
    moved = Task.objects.get(request=first.request, status="open")
    assert moved.unit == u2
    reassigned = step(lambda: services.task_assign(task=moved, assignee=dewi, user=user))
    assert moved.pk in reassigned["all"] and moved.pk not in reassigned["queue"]
    for task, decision in ((second, "return"), (third, "reject")):
        services.task_claim(task=task, user=user)
        tabs = step(
            lambda t=task, d=decision: services.task_complete(
                task=t, user=user, decision=d, note="Lengkapi berkas"
            )
        )
        assert task.pk not in tabs["all"]
    services.task_claim(task=fourth, user=user)
    step(lambda: services.task_mark_overdue(task_id=fourth.pk))
    # PLT/PLH: her appointment ends (its tasks leave her), another starts (its tasks come)
    plt_for = Position.objects.get(name="plt_for")
    acting = ActingAssignment.objects.get(employee__user=user, position=plt_for)
    routed_away = Task.objects.filter(position=plt_for, status="open").values_list("pk", flat=True)
    acting.end_date = timezone.localdate() - DAY
    ended = step(lambda: acting.save())
    assert routed_away and not set(routed_away) & ended["mine"]
    unrelated = Position.objects.get(name="unrelated")
    factories.ActingAssignmentFactory(employee=user.employee, position=unrelated)
    assert Task.objects.filter(
        position=unrelated, status="open", pk__in=_matches_the_rules(user)["mine"]
    )
    # her staff group: the group's unclaimed tasks leave her queue
    arsip = Group.objects.get(name="arsip")
    left = step(lambda: user.groups.remove(arsip))
    assert not Task.objects.filter(pk__in=left["queue"], step__group=arsip).exists()
    # midnight: tasks due today are late tomorrow (the counts' day changes)
    with time_machine.travel(timezone.now() + DAY * 1.5, tick=False):
        _matches_the_rules(user)


def test_a_page_asked_again_is_not_built_again(world):
    """The page's SQL is built once per process for the same reach, tab, filters, page
    and day; another user (another reach) gets their own."""
    user, expected = world
    client = client_for(user)
    url = "/api/v1/tasks/?scope=queue"
    first = client.get(url).json()
    before = selectors_queue._page_sql.cache_info()
    assert client.get(url).json() == first
    after = selectors_queue._page_sql.cache_info()
    assert (after.hits, after.misses) == (before.hits + 1, before.misses)
    assert {t["id"] for t in first["results"]} == expected["queue"]
    budi = User.objects.get(username="budi")
    theirs = client_for(budi).get(url).json()
    assert selectors_queue._page_sql.cache_info().misses == before.misses + 1
    assert {t["id"] for t in theirs["results"]} == _expected(budi, timezone.localdate())["queue"]
