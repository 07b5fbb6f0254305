"""The staff request page (issue 13's bugs): a decision is chosen and confirmed, never a
default; the history speaks the reader's language; the correction boxes sit in their
labels; a counter registration names the clerk's own unit; an asked-for document needs
a new file."""

import pytest
from django.conf import settings

from tests import factories
from tests.workflow.fixtures import umrah_data
from workflow import services
from workflow.models import RequestEvent, Task

pytestmark = pytest.mark.django_db


def new_request(service, **kwargs):
    return factories.submit_request(service, data=umrah_data(), **kwargs)


def test_the_decision_has_no_default(client, umrah, staff):
    req = new_request(umrah)
    task = req.tasks.get()
    client.force_login(staff)
    page = client.get(f"/staf/permohonan/{req.registration_number}/").content.decode()
    assert '<option value="" selected>Pilih keputusan</option>' in page
    assert 'value="approve" selected' not in page
    response = client.post(f"/staf/tugas/{task.pk}/selesaikan/", {"confirmed": "1"})
    assert response.status_code == 400 and "Pilih keputusan." in response.content.decode()
    task.refresh_from_db()
    assert task.status == "open" and task.assigned_to is None


def test_a_decision_is_saved_only_once_confirmed(client, umrah, staff):
    req = new_request(umrah)
    task = req.tasks.get()
    client.force_login(staff)
    url = f"/staf/tugas/{task.pk}/selesaikan/"
    body = {"decision": "reject", "note": "Bukan wilayah kami", "public_note": "Ditolak"}
    response = client.post(url, body)
    page = response.content.decode()
    assert response.status_code == 200
    assert "Konfirmasi keputusan" in page and "<strong>Tolak</strong>" in page
    assert "Bukan wilayah kami" in page and 'name="confirmed" value="1"' in page
    task.refresh_from_db()
    assert task.status == "open" and RequestEvent.objects.filter(kind="rejected").count() == 0
    # "change the decision": the form again, with what was typed
    response = client.post(url, {**body, "confirmed": "1", "edit": "1"})
    page = response.content.decode()
    assert "Konfirmasi keputusan" not in page and "Bukan wilayah kami</textarea>" in page
    task.refresh_from_db()
    assert task.status == "open"
    response = client.post(url, {**body, "confirmed": "1"})
    assert response.status_code == 302
    req.refresh_from_db()
    assert req.status == "rejected"


def test_the_confirmation_asks_again_for_the_result_file(client, umrah, staff, tu_staff):
    req = new_request(umrah)
    for order in (1, 2):
        services.task_complete(
            task=req.tasks.get(step__order=order), user=staff, decision="approve"
        )
    task = req.tasks.get(step__order=3)
    client.force_login(tu_staff)
    page = client.post(
        f"/staf/tugas/{task.pk}/selesaikan/",
        {"decision": "approve", "result": factories.pdf_upload("hasil.pdf")},
    ).content.decode()
    assert "Pilih lagi dokumen hasil" in page and 'type="file" id="confirm-result"' in page


def test_history_shows_labels_in_the_readers_language(client, umrah, staff, clerk):
    req = new_request(umrah)
    task = req.tasks.get()
    services.task_claim(task=task, user=staff)
    services.task_complete(task=task, user=staff, decision="return", note="KTP buram")
    client.force_login(staff)
    url = f"/staf/permohonan/{req.registration_number}/"
    page = client.get(url).content.decode()
    assert "Diterima → Diproses" in page and "Diproses → Perlu perbaikan" in page
    assert "submitted →" not in page and "in_progress →" not in page
    assert "(Pemohon)" in page and "(Staf, Seksi PHU)" in page
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = client.get(url).content.decode()
    assert "Received → In progress" in page and "In progress → Needs correction" in page
    assert "(Applicant)" in page and "(Staff, Seksi PHU)" in page
    assert "Pemohon" not in page and "Staf," not in page


def test_a_counter_registration_names_the_clerks_own_unit(umrah, clerk):
    from django.utils import translation

    from workflow.models import Channel
    from workflow.roles import acting_as_label

    req = new_request(umrah, channel=Channel.COUNTER, acting_user=clerk)
    event = req.events.get(kind="submitted")
    assert event.actor == clerk
    # the PTSP where the clerk works, not Seksi PHU (the service's unit)
    with translation.override("id"):
        assert acting_as_label(event.acting_as) == "Petugas loket, PTSP"


def test_correction_boxes_are_inside_their_labels(client, umrah, staff):
    req = new_request(umrah)
    client.force_login(staff)
    page = client.get(f"/staf/permohonan/{req.registration_number}/").content.decode()
    assert "<legend>Yang harus diperbaiki</legend>" in page
    assert '<label for="id_correction_codes_0"><input type="checkbox"' in page


def test_a_document_asked_for_needs_a_new_file(umrah, staff):
    from config.exceptions import ApplicationError

    req = new_request(umrah)
    services.task_complete(
        task=req.tasks.get(),
        user=staff,
        decision="return",
        note="KTP buram",
        correction_codes=["ktp"],
    )
    req.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        services.service_request_resubmit(request=req, data={}, documents={})
    assert refused.value.field_errors == {"ktp": ["Kantor meminta berkas baru: pilih berkasnya."]}
    req.refresh_from_db()
    assert req.status == "needs_info" and req.documents.count() == 1
    services.service_request_resubmit(
        request=req, data={}, documents={"ktp": factories.pdf_upload("ktp-baru.pdf")}
    )
    req.refresh_from_db()
    assert req.status == "in_progress"
    assert Task.objects.filter(request=req, status="open").count() == 1


def test_downloads_are_named_from_the_request_and_document(client, umrah, staff, tu_staff):
    req = new_request(umrah)
    number = req.registration_number
    doc = req.documents.get()
    client.force_login(staff)
    response = client.get(f"/staf/permohonan/{number}/dokumen/{doc.pk}/")
    assert response["Content-Disposition"] == f'attachment; filename="{number}-ktp.pdf"'
    for order in (1, 2):
        services.task_complete(
            task=req.tasks.get(step__order=order), user=staff, decision="approve"
        )
    services.task_complete(
        task=req.tasks.get(step__order=3),
        user=tu_staff,
        decision="approve",
        result_file=factories.pdf_upload("6ce4bdfef1a742499cfa3672f593b272.pdf"),
    )
    response = client.get(f"/staf/permohonan/{number}/hasil/")
    assert response["Content-Disposition"] == (
        f'attachment; filename="{number}-surat-rekomendasi.pdf"'
    )


def test_a_number_field_refuses_more_than_its_largest_value(umrah):
    from config.exceptions import ApplicationError
    from services_catalog.models import FormField

    FormField.objects.filter(service=umrah, code="jumlah").update(max_value=10)
    umrah.refresh_from_db()
    with pytest.raises(ApplicationError) as refused:
        factories.submit_request(umrah, data=umrah_data(jumlah=12))
    assert refused.value.field_errors == {"jumlah": ["Paling banyak 10."]}
    assert factories.submit_request(umrah, data=umrah_data(jumlah=10)).data["jumlah"] == 10
