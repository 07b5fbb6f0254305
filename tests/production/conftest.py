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
