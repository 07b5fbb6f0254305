"""Counter mode: the day's registrations at the clerk's counter, and a reprint of any
receipt of the office (issue 13, item 4); the status page's wording (item 1)."""

import datetime

import pytest
import time_machine

from tests import factories
from tests.workflow.fixtures import member, umrah_data
from workflow import services
from workflow.models import Channel, ServiceRequest

pytestmark = pytest.mark.django_db


def at_counter(service, clerk, name="Siti Aminah"):
    return factories.submit_request(
        service,
        data=umrah_data(),
        applicant={"name": name, "phone": "0812-3456-7890"},
        channel=Channel.COUNTER,
        acting_user=clerk,
    )


def test_counter_lists_todays_registrations_of_its_office(client, umrah, clerk):
    yesterday = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    with time_machine.travel(yesterday, tick=False):
        old = at_counter(umrah, clerk, name="Kemarin")
    first = at_counter(umrah, clerk, name="Siti Aminah")
    second = at_counter(umrah, clerk, name="Budi Santoso")
    online = factories.submit_request(umrah, data=umrah_data())
    other_office = factories.ServiceTypeFactory()
    factories.StepFactory(service=other_office)
    other_clerk = member(
        factories.UnitFactory(office=other_office.unit.office, name="PTSP lain"), "clerk", "lain"
    )
    elsewhere = factories.submit_request(
        other_office, data={}, channel=Channel.COUNTER, acting_user=other_clerk
    )
    client.force_login(clerk)
    page = client.get("/staf/loket/").content.decode()
    listed = [p.split('"', 1)[0] for p in page.split('<tr data-number="')[1:]]
    assert listed == [second.registration_number, first.registration_number]  # newest first
    for absent in (old, online, elsewhere):
        assert absent.registration_number not in page
    assert "Budi Santoso" in page and "loket" in page
    assert f'/staf/loket/cetak-ulang/?number={first.registration_number}"' in page


def test_reprint_any_receipt_of_the_office(client, umrah, clerk, outsider):
    yesterday = datetime.datetime.now(datetime.UTC) - datetime.timedelta(days=1)
    with time_machine.travel(yesterday, tick=False):
        old = at_counter(umrah, clerk)
    client.force_login(clerk)
    # the number as typed, lower case without separators
    typed = old.registration_number.lower().replace("-", "")
    response = client.get(f"/staf/loket/cetak-ulang/?number={typed}")
    assert response.status_code == 302
    assert response["Location"] == f"/permohonan/{old.registration_number}/tanda-terima/"
    receipt = client.get(response["Location"])
    assert receipt.status_code == 200 and old.registration_number in receipt.content.decode()
    # unknown number: said so, back at the counter
    response = client.get("/staf/loket/cetak-ulang/?number=KJB-2026-99999-X", follow=True)
    assert "Tidak ada permohonan kantor Anda dengan nomor itu." in response.content.decode()
    # not a clerk: refused, and the receipt stays private
    client.force_login(outsider)
    assert client.get(f"/staf/loket/cetak-ulang/?number={typed}").status_code == 403
    assert client.get(f"/permohonan/{old.registration_number}/tanda-terima/").status_code == 404


def _status_page(client, req):
    return client.get(f"/cek-status/{req.registration_number}/").content.decode()


def test_status_page_while_waiting_on_the_applicant(client, umrah, staff):
    req = factories.submit_request(umrah, data=umrah_data())
    services.task_complete(task=req.tasks.get(), user=staff, decision="return", note="KTP")
    page = _status_page(client, req)
    assert "menunggu perbaikan dari pemohon" in page and "sesuai jadwal" not in page


def test_status_page_of_a_cancelled_request_after_its_due_date(client, umrah):
    req = factories.submit_request(umrah, data=umrah_data())
    due = ServiceRequest.objects.get(pk=req.pk).due_date
    later = datetime.datetime.combine(due + datetime.timedelta(days=3), datetime.time(10))
    with time_machine.travel(later.replace(tzinfo=datetime.UTC), tick=False):
        services.service_request_cancel(request=req)
    page = _status_page(client, req)
    assert "Dibatalkan pada" in page and "Selesai pada" not in page
    assert "terlambat" not in page and "sesuai jadwal" not in page
