import pytest

from tests.production.stack import ProductionStack


@pytest.fixture(scope="package")
def production(tmp_path_factory):
    """One production stack for this package (build, release, web, worker, beat,
    nginx, PostgreSQL, Redis, the Twilio stand-in), stopped at the end."""
    stack = ProductionStack(tmp_path_factory.mktemp("production"))
    try:
        stack.start()
        yield stack
    finally:
        stack.stop()


# The first test's setup starts the whole stack (build, migrate on an empty database, the
# demo seed, worker and beat): 500 s of the suite's 600 s per-test limit at load 15 on this
# 2-core machine, and it failed the whole package at 600 s once. A hang still fails.
STACK_TIMEOUT = 1200


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/production/" in str(item.fspath):
            item.add_marker(pytest.mark.production)
            item.add_marker(pytest.mark.timeout(STACK_TIMEOUT))
    # Fault injection last in the package (it kills processes on purpose; the others assert
    # none crashed), yet inside it, so the package's stack is started once.
    faults = [item for item in items if item.get_closest_marker("faults")]
    if faults:
        rest = [item for item in items if item not in faults]
        production = [i for i, item in enumerate(rest) if item.get_closest_marker("production")]
        at = production[-1] + 1 if production else len(rest)
        items[:] = rest[:at] + faults + rest[at:]
