"""Staff pages under /staf/."""

import pytest

from tests import factories
from tests.workflow.fixtures import umrah_data
from workflow import services
from workflow.models import RequestEvent

pytestmark = pytest.mark.django_db


def new_request(service):
    return factories.submit_request(service, data=umrah_data())


def test_pages_need_login(client, umrah):
    req = new_request(umrah)
    for url in ("/staf/", f"/staf/permohonan/{req.registration_number}/"):
        response = client.get(url)
        assert response.status_code == 302 and "/staf/masuk/" in response["Location"]
    response = client.post(f"/staf/tugas/{req.tasks.get().pk}/ambil/")
    assert response.status_code == 302 and "/staf/masuk/" in response["Location"]
    assert req.tasks.get().assigned_to is None


def test_queue_claim_and_mine(client, umrah, staff):
    req = new_request(umrah)
    client.force_login(staff)
    page = client.get("/staf/?scope=queue").content.decode()
    assert req.registration_number in page and "Ambil" in page
    response = client.post(f"/staf/tugas/{req.tasks.get().pk}/ambil/")
    assert response.status_code == 302
    assert response["Location"] == f"/staf/permohonan/{req.registration_number}/"
    assert req.tasks.get().assigned_to == staff
    row = f'data-number="{req.registration_number}"'
    assert row not in client.get("/staf/?scope=queue").content.decode()
    assert row in client.get("/staf/?scope=mine").content.decode()


def test_overdue_highlight_and_supervisor_notices(client, umrah, staff, supervisor):
    import datetime

    import time_machine

    from workflow.tasks import fire_workflow_timers

    req = new_request(umrah)
    due = req.tasks.get().due_date
    with time_machine.travel(
        datetime.datetime.combine(due, datetime.time(12)) + datetime.timedelta(days=1)
    ):
        assert fire_workflow_timers.delay().get() == 1
    client.force_login(staff)
    page = client.get("/staf/?scope=queue").content.decode()
    assert 'class="task overdue"' in page and "Overdue in your units" not in page
    assert "Terlambat di unit Anda" not in page
    client.force_login(supervisor)
    page = client.get("/staf/?scope=queue&overdue=true").content.decode()
    assert "Terlambat di unit Anda" in page and req.registration_number in page


def test_detail_page_shows_data_documents_history_and_actions(client, umrah, staff):
    req = new_request(umrah)
    services.task_claim(task=req.tasks.get(), user=staff)
    client.force_login(staff)
    page = client.get(f"/staf/permohonan/{req.registration_number}/").content.decode()
    for text in ("PT Amanah", "Siti Aminah", "+6281234567890", "berkas.pdf", "Diambil"):
        assert text in page
    assert "Simpan keputusan" in page and 'value="return"' in page
    doc = req.documents.get()
    download = client.get(f"/staf/permohonan/{req.registration_number}/dokumen/{doc.pk}/")
    assert download.status_code == 200


def test_return_needs_a_note_on_the_page(client, umrah, staff):
    req = new_request(umrah)
    task = req.tasks.get()
    client.force_login(staff)
    response = client.post(
        f"/staf/tugas/{task.pk}/selesaikan/", {"decision": "return", "confirmed": "1"}
    )
    assert response.status_code == 400
    page = response.content.decode()
    assert "error-summary" in page and 'aria-invalid="true"' in page
    task.refresh_from_db()
    assert task.status == "open" and RequestEvent.objects.count() == 1
    response = client.post(
        f"/staf/tugas/{task.pk}/selesaikan/",
        {"decision": "return", "note": "KTP buram", "confirmed": "1"},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "needs_info"


def test_result_upload_on_the_page(client, umrah, staff, tu_staff):
    req = new_request(umrah)
    for order in (1, 2):
        services.task_complete(
            task=req.tasks.get(step__order=order), user=staff, decision="approve"
        )
    task = req.tasks.get(step__order=3)
    client.force_login(tu_staff)
    response = client.post(
        f"/staf/tugas/{task.pk}/selesaikan/", {"decision": "approve", "confirmed": "1"}
    )
    assert response.status_code == 400
    response = client.post(
        f"/staf/tugas/{task.pk}/selesaikan/",
        {"decision": "approve", "result": factories.pdf_upload("hasil.pdf"), "confirmed": "1"},
    )
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "completed"
    assert client.get(f"/staf/permohonan/{req.registration_number}/hasil/").status_code == 200


def test_other_units_get_404_everywhere(client, umrah, outsider):
    req = new_request(umrah)
    task = req.tasks.get()
    doc = req.documents.get()
    client.force_login(outsider)
    number = req.registration_number
    assert number not in client.get("/staf/?scope=queue").content.decode()
    for url in (
        f"/staf/permohonan/{number}/",
        f"/staf/permohonan/{number}/dokumen/{doc.pk}/",
        f"/staf/permohonan/{number}/hasil/",
    ):
        assert client.get(url).status_code == 404
    for action in ("ambil", "lepas", "tugaskan", "selesaikan"):
        response = client.post(f"/staf/tugas/{task.pk}/{action}/", {"decision": "approve"})
        assert response.status_code == 404
    task.refresh_from_db()
    assert task.assigned_to is None and task.status == "open"


def test_extra_panels_are_rendered(client, umrah, staff, settings):
    settings.STAFF_REQUEST_PANELS = ["tests.workflow.test_views.sample_panel"]
    req = new_request(umrah)
    client.force_login(staff)
    page = client.get(f"/staf/permohonan/{req.registration_number}/").content.decode()
    assert '<section class="card">Panel for ' + req.registration_number in page


def sample_panel(http_request, service_request):
    return f'<section class="card">Panel for {service_request.registration_number}</section>'


def test_admin_shows_requests_read_only(client, umrah):
    req = new_request(umrah)
    admin_user = factories.UserFactory(username="admin_wf", is_staff=True, is_superuser=True)
    client.force_login(admin_user)
    listing = client.get("/admin/workflow/servicerequest/")
    assert listing.status_code == 200 and req.registration_number in listing.content.decode()
    page = client.get(f"/admin/workflow/servicerequest/{req.pk}/change/")
    assert page.status_code == 200
    assert req.access_token not in page.content.decode()
    assert client.get("/admin/workflow/servicerequest/add/").status_code == 403
    assert client.get("/admin/workflow/task/").status_code == 200
