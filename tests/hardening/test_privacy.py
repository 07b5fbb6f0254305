"""No free text written by people on the public timeline (CONTRACT.md section 3)."""

import pytest

from tests import factories
from tests.hardening.conftest import umrah_data
from workflow import services
from workflow.models import Task

pytestmark = pytest.mark.django_db
PERSONAL = "Siti Aminah NIK 3273015508900001 HP 081234567890"


def _returned(umrah, staff, **kwargs):
    request = factories.submit_request(umrah, data=umrah_data())
    task = Task.objects.get(request=request)
    services.task_claim(task=task, user=staff)
    services.task_complete(
        task=task, user=staff, decision="return", note=f"KTP buram ({PERSONAL})", **kwargs
    )
    return request


def test_a_staff_return_note_never_reaches_the_public_timeline(client, api_client, umrah, staff):
    request = _returned(umrah, staff)
    number = request.registration_number
    body = api_client.get(f"/api/v1/track/{number}/").json()
    assert all(entry["note"] is None for entry in body["history"])
    assert PERSONAL not in str(body)
    assert PERSONAL not in client.get(f"/cek-status/{number}/").content.decode()


def test_an_applicant_cancel_note_never_reaches_the_public_timeline(api_client, umrah):
    request = factories.submit_request(umrah, data=umrah_data())
    headers = {"X-Access-Token": request.access_token}
    url = f"/api/v1/requests/{request.registration_number}/"
    assert api_client.post(url + "cancel/", {"note": PERSONAL}, format="json", headers=headers)
    public = api_client.get(f"/api/v1/track/{request.registration_number}/").json()
    assert public["status"] == "cancelled"
    assert PERSONAL not in str(public)


def test_staff_may_publish_a_public_note_with_their_decision(api_client, umrah, staff):
    request = factories.submit_request(umrah, data=umrah_data())
    task = Task.objects.get(request=request)
    api_client.force_authenticate(staff)
    response = api_client.post(
        f"/api/v1/tasks/{task.pk}/complete/",
        {"decision": "return", "note": f"Untuk Anda: {PERSONAL}", "public_note": "Berkas kurang"},
        format="json",
    )
    assert response.status_code == 200, response.content
    api_client.force_authenticate(None)
    history = api_client.get(f"/api/v1/track/{request.registration_number}/").json()["history"]
    assert history[-1]["note"] == "Berkas kurang"
    assert PERSONAL not in str(history)


def test_the_applicant_still_reads_the_note_meant_for_them(client, api_client, umrah, staff):
    request = _returned(umrah, staff)
    number = request.registration_number
    own = api_client.get(
        f"/api/v1/requests/{number}/", headers={"X-Access-Token": request.access_token}
    ).json()
    assert PERSONAL in own["history"][-1]["note"]
    client.get(f"/permohonan/{number}/?token={request.access_token}")
    assert PERSONAL in client.get(f"/permohonan/{number}/").content.decode()
