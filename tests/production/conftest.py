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


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/production/" in str(item.fspath):
            item.add_marker(pytest.mark.production)
    # Fault injection last in the package (it kills processes on purpose; the others assert
    # none crashed), yet inside it, so the package's stack is started once.
    faults = [item for item in items if item.get_closest_marker("faults")]
    if faults:
        rest = [item for item in items if item not in faults]
        production = [i for i, item in enumerate(rest) if item.get_closest_marker("production")]
        at = production[-1] + 1 if production else len(rest)
        items[:] = rest[:at] + faults + rest[at:]
