import pytest

from tests import factories

# xdist hands whole files to its workers (`--dist loadfile`), in collection order (the
# Makefile passes --no-loadscope-reorder: xdist's own order puts files with FEW tests last,
# which left one worker alone for minutes with a two-minute single-test file). So the
# slowest units are collected first, longest first (seconds from the `--junitxml` of a
# fresh-clone `make test`, 2026-12-01 22:08 at load 8-18; the WhatsApp files placed by
# their time with one shared worker); a stale entry costs only balance, never a test.
SLOW_FIRST = (
    "tests/production",  # one unit: the package's stack starts once (see scope_of)
    "tests/hardening/test_api_fuzz.py",
    "tests/hardening/test_form_fuzz.py",
    "tests/personnel/test_large_import.py",
    "tests/workflow/test_lifecycle_model.py",
    "tests/services_catalog/test_seed_demo.py",
    "tests/browser/test_dashboard.py",
    "tests/browser/test_internal_services.py",
    "tests/config/test_settings.py",
    "tests/attendance/test_check_in.py",
    "tests/browser/test_skp_evaluation.py",
    "tests/skp/evaluation/test_feedback_on_skp_page.py",
    "tests/browser/test_portal.py",
    "tests/integration/test_whatsapp_faults.py",
    "tests/skp/evaluation/test_rencana_aksi.py",
    "tests/bench/test_seed.py",
    "tests/dashboard/test_pages.py",
    "tests/browser/test_admin.py",
    "tests/browser/test_queue_work.py",
    "tests/integration/test_letters_concurrency.py",
    "tests/integration/test_whatsapp_journey.py",
    "tests/integration/test_whatsapp_bench.py",
    "tests/workflow/test_api_tasks.py",
    "tests/services_catalog/test_search.py",
    "tests/skp/evaluation/test_evaluation.py",
    "tests/core/test_translations_complete.py",
    "tests/browser/test_after_result.py",
)
PRODUCTION = "tests/production"


def scope_of(nodeid: str) -> str:
    """The unit one xdist worker runs whole: a file, except the production-parity package,
    whose one stack (gunicorn, nginx, Celery, PostgreSQL, Redis) serves all its files."""
    path = nodeid.split("::", 1)[0]
    return PRODUCTION if path.startswith(PRODUCTION + "/") else path


def pytest_collection_modifyitems(config, items):
    rank = {scope: i for i, scope in enumerate(SLOW_FIRST)}
    items.sort(key=lambda item: rank.get(scope_of(item.nodeid), len(rank)))


def pytest_xdist_make_scheduler(config, log):
    if config.getvalue("dist") != "loadfile":
        return None
    from xdist.scheduler import LoadFileScheduling

    class ByScope(LoadFileScheduling):
        def _split_scope(self, nodeid):
            return scope_of(nodeid)

    return ByScope(config, log)


@pytest.fixture(scope="session")
def django_db_modify_db_settings(django_db_modify_db_settings_parallel_suffix):
    """The test database is a copy of the suite's migrated template (tests/servers.py:
    one migration run per machine): `CREATE DATABASE ... TEMPLATE`, then nothing left to
    migrate. Django's migrate would still render every migration's state to find that out
    (30 s on a loaded machine), so the copy is only checked for missing tables (syncdb)."""
    import os

    from django.conf import settings

    template = os.environ.get("ALUR_TEST_DATABASE_TEMPLATE")
    if template:
        settings.DATABASES["default"].setdefault("TEST", {})
        settings.DATABASES["default"]["TEST"].update(TEMPLATE=template, MIGRATE=False)


@pytest.fixture
def api_client():
    from rest_framework.test import APIClient

    return APIClient()


@pytest.fixture
def unit(db):
    return factories.UnitFactory()


@pytest.fixture
def service_with_steps(db):
    """An active service of one unit with a text field, a date field and two steps."""
    service = factories.ServiceTypeFactory()
    factories.FormFieldFactory(service=service, code="purpose", label="Keperluan")
    factories.FormFieldFactory(
        service=service, code="travel_date", label="Tanggal", type="date", required=False
    )
    factories.StepFactory(service=service, order=1, name="Verifikasi berkas", may_return=True)
    factories.StepFactory(service=service, order=2, name="Penandatanganan")
    return service


# Shared fixtures of the workflow (a realistic service, staff of its units...).
pytest_plugins = ["tests.workflow.fixtures", "tests.documents.fixtures"]


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """Tests need passwords that work, not ones that resist brute force: MD5 keeps
    each user creation from costing half a second of PBKDF2."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _site_language():
    """Each test starts in the site's language (Bahasa Indonesia), whatever language an
    earlier test on the same worker left active (xdist orders tests differently)."""
    from django.conf import settings
    from django.utils import translation

    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def _empty_cache():
    """Each test starts (and leaves) an empty cache, the suite's Redis: no rate-limit count
    leaks from one test into another, and as the database is rolled back between tests, a
    cached public answer (tracking/cache.py) could describe a request that another test
    created under the same registration number."""
    from django.core.cache import cache

    cache.clear()
    yield
    cache.clear()


# Property tests check behaviour, not speed: on a loaded 2-core CI machine a generated
# example may take longer than hypothesis' default deadline without anything being wrong.
from hypothesis import HealthCheck  # noqa: E402
from hypothesis import settings as hypothesis_settings  # noqa: E402

hypothesis_settings.register_profile(
    "alur", deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
hypothesis_settings.load_profile("alur")
