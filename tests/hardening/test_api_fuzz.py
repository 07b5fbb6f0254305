"""The API fuzzed against its own OpenAPI schema (schemathesis), over real sockets.

Alur runs as deployed (gunicorn from the Procfile, production settings, PostgreSQL; see
fuzz_server.py) with the demo organisation, one citizen's request and its open task.
Every operation under /api/v1/ is called with generated valid and invalid input, once per
caller: anonymous, the applicant (X-Access-Token), a staff member working the request's
step (API token) and an employee with an SKP (API token). Path parameters name the real
objects, so generated bodies reach the real views instead of stopping at a 404.

Each response must: not be a 5xx; match the schema's response for its status (body and
content type); and, when it is a 4xx, be the API's JSON error shape (a JSON object).
The run is bounded (examples per operation, a fixed seed): it is part of `make test`.
"""

import json
import os

import pytest
import requests
import schemathesis
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.pytest.lazy import get_all_tests
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_schema_conformance,
)

from tests.hardening.fuzz_server import FuzzServer
from tests.production.journey import SERVICE, workers_of

SEED = 20261201
SCHEMA_PATH = "/api/v1/schema/?format=json"
EXAMPLES = {"anonymous": 3, "applicant": 10, "staff": 8, "employee": 8}
# Operations a caller is fuzzed on (regex on the path); None: all of them.
PATHS = {
    "anonymous": None,
    "applicant": r"^/api/v1/(requests|track|complaints|verify|services|ikm)/",
    "staff": None,
    "employee": r"^/api/v1/(skp|attendance|daily-log|evaluations|siasn|allowance-export)",
}

# django_db: so that pytest-django creates the test database this run copies; the test
# itself reads and writes only through HTTP.
pytestmark = [pytest.mark.timeout(900), pytest.mark.django_db]


@pytest.fixture(scope="module")
def fuzz_server(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.db import connection, connections

    template = connection.settings_dict["NAME"]
    connections.close_all()  # a template database must have no other connection
    server = FuzzServer(
        template=template,
        database_url=os.environ["ALUR_TEST_DATABASE_URL"],
        redis_url=os.environ["ALUR_TEST_REDIS_URL"],
        workdir=tmp_path_factory.mktemp("fuzz"),
    )
    try:
        server.start()
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def world(fuzz_server):
    """The objects the path parameters name, made through the API as users make them."""
    server = fuzz_server
    submitted = server.submit_with_document()
    number, access = submitted["registration_number"], submitted["access_token"]
    own = server.get(f"/api/v1/requests/{number}/", **{"X-Access-Token": access}).json()
    staff = workers_of(server, SERVICE)[0]
    staff_token = server.token(staff)
    tasks = server.get(
        f"/api/v1/tasks/?scope=queue&service={SERVICE}", Authorization=f"Token {staff_token}"
    ).json()["results"]
    task = next(t for t in tasks if t["registration_number"] == number)
    employee_token = server.token("skp_owner")
    skps = server.get("/api/v1/skp/", Authorization=f"Token {employee_token}").json()
    skps = skps["results"] if isinstance(skps, dict) else skps
    return {
        "number": number,
        "access_token": access,
        "document_id": own["documents"][0]["id"],
        "task_id": task["id"],
        "staff_token": staff_token,
        "employee_token": employee_token,
        "skp_id": skps[0]["id"] if skps else 1,
    }


def _config(role: str, world: dict) -> SchemathesisConfig:
    headers = dict(FuzzServer.proxy)
    parameters = {
        "path.number": world["number"],
        "path.registration_number": world["number"],
    }
    if role == "applicant":
        headers["X-Access-Token"] = world["access_token"]
        parameters["path.document_id"] = world["document_id"]
    elif role == "staff":
        headers["Authorization"] = f"Token {world['staff_token']}"
        parameters.update(
            {"path.task_id": world["task_id"], "path.document_id": world["document_id"]}
        )
    elif role == "employee":
        headers["Authorization"] = f"Token {world['employee_token']}"
        parameters["path.skp_id"] = world["skp_id"]
    return SchemathesisConfig.from_dict(
        {
            "seed": SEED,
            "headers": headers,
            "parameters": parameters,
            "generation": {"max-examples": EXAMPLES[role], "database": "none"},
            # The coverage phase alone sends dozens of boundary cases per operation (many
            # minutes for 84 operations); the fuzzing phase draws both valid and invalid
            # input within `max-examples`. Stateful links are not declared by the schema.
            "phases": {"coverage": {"enabled": False}, "stateful": {"enabled": False}},
            "request-timeout": 30,
        }
    )


@pytest.fixture(scope="module")
def schema_text(fuzz_server):
    """The server's OpenAPI document, fetched once: drf-spectacular builds it on every
    request (seconds at load), and it is the same for the four callers."""
    response = requests.get(fuzz_server.url(SCHEMA_PATH), headers=FuzzServer.proxy, timeout=60)
    assert response.status_code == 200, response.text[:500]
    return response.text


def api_schema(fuzz_server, schema_text, world, role: str):
    # What schemathesis.openapi.from_url does after its own GET: parse, remember where
    # from (the base URL of every call is derived from it).
    schema = schemathesis.openapi.from_file(schema_text, config=_config(role, world))
    schema.location = fuzz_server.url(SCHEMA_PATH)
    if PATHS[role]:
        schema = schema.include(path_regex=PATHS[role])
    if role in ("staff", "employee"):
        # DELETE /auth/token/ revokes the token the rest of the run calls with; revoking
        # is proven in test_sessions_and_headers.py.
        schema = schema.exclude(method="DELETE", path="/api/v1/auth/token/")
    return schema


def api_error_shape(ctx, response, case):
    """Every 4xx of the API is the JSON error shape: a JSON object (`{"detail": ...}` or
    errors by field), never an HTML page or a bare string."""
    if not 400 <= response.status_code < 500:
        return None
    media = (response.headers.get("content-type") or [""])[0]  # lowercased names, lists
    assert media.startswith("application/json"), f"{response.status_code} answered {media!r}"
    body = json.loads(response.content)
    assert isinstance(body, dict) and body, f"{response.status_code} answered {body!r}"
    return True


def check(case):
    case.call_and_validate(
        checks=[
            not_a_server_error,
            response_schema_conformance,
            content_type_conformance,
            api_error_shape,
        ]
    )


@pytest.mark.parametrize("role", list(EXAMPLES))
def test_the_api_answers_every_generated_call_as_its_schema_says(
    fuzz_server, schema_text, world, role
):
    # schemathesis' own per-operation tests (examples, coverage and fuzzing phases, the
    # config's fixed parameters), run here one operation after the other so that every
    # failing operation is reported, not only the first. (Its pytest `from_fixture`
    # wrapper cannot be used: it writes `Function._nodeid`, which pytest 9 removed.)
    schema = api_schema(fuzz_server, schema_text, world, role)
    failures, operations = [], 0
    for result in get_all_tests(schema=schema, test_func=check, settings=None, given_kwargs={}):
        operation, run = result.ok()
        operations += 1
        try:
            run()
        except (Exception, BaseExceptionGroup) as exc:  # noqa: BLE001 - reported below
            failures.append(f"--- {operation.label}\n{exc}")
    assert operations >= 5, f"only {operations} operations fuzzed as {role}"
    assert not failures, f"{len(failures)} of {operations} operations failed as {role}:\n" + (
        "\n".join(failures)
    )
