"""Public answers are cached (tracking/cache.py, services_catalog/cache.py) and never stale:
a lookup after a transition commits shows the new status, whatever was cached before."""

import pytest

from tests import factories
from tests.workflow.fixtures import umrah_data
from tracking import cache as track_cache
from workflow import services
from workflow.models import Channel, Task

pytestmark = pytest.mark.django_db


def submitted(service, on_commit):
    with on_commit(execute=True):
        return services.service_request_submit(
            service=service,
            applicant={"name": "Siti Aminah", "phone": "081234567890"},
            data=umrah_data(),
            documents={"ktp": factories.pdf_upload()},
            channel=Channel.ONLINE,
        )


def track(api_client, request):
    response = api_client.get(f"/api/v1/track/{request.registration_number}/")
    assert response.status_code == 200
    return response.json()


def test_a_repeated_lookup_reads_no_database(
    api_client, umrah, django_capture_on_commit_callbacks, django_assert_num_queries
):
    request = submitted(umrah, django_capture_on_commit_callbacks)
    track(api_client, request)
    with django_assert_num_queries(0):
        assert track(api_client, request)["status"] == "submitted"


# The plain JSON lookup (cached bytes, no DRF) and DRF's view (cached answer as data).
PATHS = {"plain": {}, "drf": {"HTTP_ACCEPT": "text/plain, application/json"}}


@pytest.mark.parametrize("path", PATHS)
def test_the_status_page_and_the_api_show_a_transition_at_once(
    client, umrah, staff, django_capture_on_commit_callbacks, path
):
    def label():
        url = f"/api/v1/track/{request.registration_number}/"
        return client.get(url, **PATHS[path]).json()["status_label"]

    request = submitted(umrah, django_capture_on_commit_callbacks)
    assert label() == "Diterima" == label()  # the second from the cache
    # The page from its shell, around the cached answer's HTML.
    assert "Diterima" in client.get(f"/cek-status/{request.registration_number}/").text
    task = Task.objects.get(request=request)
    with django_capture_on_commit_callbacks(execute=True):
        services.task_claim(task=task, user=staff)
    assert label() == "Diproses"
    page = client.get(f"/cek-status/{request.registration_number}/").text
    assert "Diproses" in page and "Diterima</span>" not in page


def test_an_answer_computed_before_a_transition_committed_is_never_served_after_it(
    api_client, umrah, staff, django_capture_on_commit_callbacks
):
    request = submitted(umrah, django_capture_on_commit_callbacks)
    key = request.registration_key
    task = Task.objects.get(request=request)

    def slow_reader_build():
        # The reader has read the old state; the transition commits before it stores it.
        old = {"status": "submitted"}
        with django_capture_on_commit_callbacks(execute=True):
            services.task_claim(task=task, user=staff)
        return old

    assert track_cache.cached(key, "api", slow_reader_build) == {"status": "submitted"}
    assert track(api_client, request)["status"] == "in_progress"


def test_a_rolled_back_transition_leaves_the_cached_answer_valid(
    api_client, umrah, django_capture_on_commit_callbacks, django_assert_num_queries
):
    request = submitted(umrah, django_capture_on_commit_callbacks)
    track(api_client, request)
    # No commit, no bump: the cached answer (still the truth) keeps being served.
    with django_assert_num_queries(0):
        assert track(api_client, request)["status"] == "submitted"


def test_unknown_numbers_are_not_cached_so_a_new_request_is_found_at_once(
    api_client, umrah, django_capture_on_commit_callbacks
):
    calls = []

    def build():
        calls.append(1)

    assert track_cache.cached("KJB202699999X", "api", build) is None
    assert track_cache.cached("KJB202699999X", "api", build) is None
    assert len(calls) == 2


@pytest.mark.parametrize("accept", ["", "text/plain, application/json"], ids=["plain", "drf"])
def test_a_catalogue_change_shows_on_the_catalogue_and_the_timeline(
    api_client, umrah, django_capture_on_commit_callbacks, django_assert_num_queries, accept
):
    if accept:
        api_client.credentials(HTTP_ACCEPT=accept)
    request = submitted(umrah, django_capture_on_commit_callbacks)
    assert api_client.get("/api/v1/services/").json()["results"][0]["name"] == umrah.name
    api_client.get(f"/api/v1/services/{umrah.code}/")
    track(api_client, request)
    with django_assert_num_queries(0):
        api_client.get("/api/v1/services/")
        api_client.get(f"/api/v1/services/{umrah.code}/")
    step = umrah.steps.get(order=1)
    with django_capture_on_commit_callbacks(execute=True):
        umrah.name = "Rekomendasi Paspor Umrah (baru)"
        umrah.save(update_fields=["name"])
        step.name = "Pemeriksaan berkas"
        step.save(update_fields=["name"])
    listed = api_client.get("/api/v1/services/").json()["results"][0]
    assert listed["name"] == "Rekomendasi Paspor Umrah (baru)"
    detail = api_client.get(f"/api/v1/services/{umrah.code}/").json()
    assert detail["steps"][0]["name"] == "Pemeriksaan berkas"
    timeline = track(api_client, request)
    assert timeline["service"]["name"] == "Rekomendasi Paspor Umrah (baru)"
    assert timeline["steps"][0]["name"] == "Pemeriksaan berkas"


def test_made_up_query_strings_share_one_cached_catalogue_page(
    api_client, umrah, django_assert_num_queries
):
    api_client.get("/api/v1/services/")
    with django_assert_num_queries(0):
        for junk in range(5):
            assert api_client.get(f"/api/v1/services/?x={junk}").status_code == 200


def test_the_answer_follows_the_language(api_client, umrah, django_capture_on_commit_callbacks):
    request = submitted(umrah, django_capture_on_commit_callbacks)
    assert track(api_client, request)["status_label"] == "Diterima"
    english = api_client.get(
        f"/api/v1/track/{request.registration_number}/", headers={"Accept-Language": "en"}
    ).json()
    assert english["status_label"] == "Received"


def test_a_repeated_status_page_reads_no_database_and_still_shows_lateness_by_date(
    client, umrah, django_capture_on_commit_callbacks, django_assert_num_queries, monkeypatch
):
    import datetime
    import re

    from django.utils import timezone

    def page():  # without the per-response CSRF token of the language form
        return re.sub(r'name="csrfmiddlewaretoken" value="[^"]*"', "", client.get(url).text)

    request = submitted(umrah, django_capture_on_commit_callbacks)
    url = f"/cek-status/{request.registration_number}/"
    first = page()
    assert "Diterima" in first
    with django_assert_num_queries(0):
        assert page() == first
    # The answer's HTML is cached per day: the day after the due date it says late.
    late_day = request.due_date + datetime.timedelta(days=1)
    monkeypatch.setattr(timezone, "localdate", lambda *a, **k: late_day)
    assert page() != first
