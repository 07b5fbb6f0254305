"""Any compiled query as a prepared statement (config/prepared.py `execute`): the rows the
query gives, prepared once per session (a set-up step, not a counted query), its ids and
days as parameters and its constants written in (so partial indexes stay usable), run
by its generic plan, refused texts run as given without harming the transaction, a
deallocated statement mended, and a session keeps a bounded number of them."""

import datetime

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from config import prepared
from tests import factories
from workflow.models import Task

# Committed for real: a new database session for each test (no statement of another).
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def new_session(db):
    connection.close()


def _compiled(queryset):
    sql, params = queryset.query.get_compiler(using="default").as_sql()
    return sql, list(params)


def _run(sql, params):
    with CaptureQueriesContext(connection) as captured, connection.cursor() as cursor:
        prepared.execute("default", cursor, sql, params)
        rows = cursor.fetchall()
    return rows, [q["sql"].split("(")[0] for q in captured.captured_queries]


def _statements():
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT name, statement, generic_plans, custom_plans FROM pg_prepared_statements"
        )
        return {name: rest for name, *rest in cursor.fetchall()}


@pytest.fixture
def tasks():
    task = factories.TaskFactory()
    factories.TaskFactory(unit=task.unit, status=Task.Status.DONE)
    return Task.objects.filter(unit_id=task.unit_id, status=Task.Status.OPEN)


def test_the_rows_of_the_query_from_one_counted_execute(tasks):
    sql, params = _compiled(tasks.values_list("pk", "due_date").order_by("pk"))
    with connection.cursor() as cursor:
        cursor.execute(sql, params)
        plain = cursor.fetchall()
    assert len(plain) == 1
    rows, ran = _run(sql, params)
    name = prepared._named("default", sql, tuple(prepared._constant(p) for p in params))[0]
    assert rows == plain and ran == [f"EXECUTE {name}"]  # the PREPARE is not counted
    statement, generic, custom = _statements()[name]
    assert "$1" in statement and "'open'" in statement  # the unit's id, the status written
    assert _run(sql, params) == (plain, [f"EXECUTE {name}"])
    other = factories.TaskFactory()
    sql2, params2 = _compiled(
        Task.objects.filter(unit_id=other.unit_id, status=Task.Status.OPEN)
        .values_list("pk", "due_date")
        .order_by("pk")
    )
    assert sql2 == sql
    assert _run(sql2, params2)[0] == [(other.pk, other.due_date)]  # the same statement
    assert list(_statements()) == [name]


def test_it_runs_its_generic_plan_from_the_first_run(tasks):
    with connection.cursor() as cursor:
        cursor.execute("SHOW plan_cache_mode")
        assert cursor.fetchone() == ("force_generic_plan",)
    _run(*_compiled(tasks.values_list("pk")))
    ((statement, generic, custom),) = _statements().values()
    assert (generic, custom) == (1, 0)


def test_a_text_postgresql_will_not_prepare_runs_as_given(db):
    # PREPARE takes a SELECT, INSERT, UPDATE, DELETE, MERGE or VALUES, not a SHOW.
    with transaction.atomic():
        rows, ran = _run("SHOW plan_cache_mode", [])
        assert rows == [("force_generic_plan",)] and ran == ["SHOW plan_cache_mode"]
        assert Task.objects.count() == 0  # the transaction was not aborted
    assert _statements() == {}


def test_a_deallocated_statement_is_prepared_again(tasks):
    sql, params = _compiled(tasks.values_list("pk"))
    first = _run(sql, params)
    with connection.cursor() as cursor:
        cursor.execute("DEALLOCATE ALL")  # as DISCARD ALL would
    assert _run(sql, params)[0] == first[0]
    assert len(_statements()) == 1


def test_a_session_keeps_a_bounded_number(db, monkeypatch):
    monkeypatch.setattr(prepared, "MAX_PER_SESSION", 2)
    days = [datetime.date(2026, 1, d) for d in (1, 2, 3)]
    for n, day in enumerate(days):
        sql, params = _compiled(Task.objects.filter(due_date__gte=day).values_list("pk")[: n + 1])
        _run(sql, params)
    assert len(_statements()) == 2


def test_percent_signs(db):
    assert _run("SELECT 7 %% %s", [4]) == ([(3,)], ["EXECUTE " + _only_name()])
    assert "7 % $1" in _statements()[_only_name()][0]


def _only_name():
    (name,) = _statements()
    return name
