"""Umpan balik on the SKP page (DOMAIN.md 2.5): per RHK and per BerAKHLAK value with its
author and date, as entries of the history tab, given from the page by the pejabat
penilai of the day (PLT/PLH included), seen by the owner, the penilai and HR only, in a
constant number of queries."""

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from skp.models_lock import AllowanceAdmin
from skp.models_realisation import UmpanBalik
from tests import factories
from tests.skp.conftest import YEAR

pytestmark = pytest.mark.django_db
Q1 = f"{YEAR}-Q1"


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def give(client, skp_id, text, *, rhk=None, core_value="", period=Q1):
    body = {"back": "detail", "period": period, "text": text}
    body.update({"rhk": rhk} if rhk else {"core_value": core_value})
    return client.post(f"/staf/skp/{skp_id}/umpan-balik/", body)


def test_the_penilai_gives_feedback_from_the_page_and_everyone_allowed_sees_it(org, approved):
    head = browser(org.head.user)
    page = head.get(f"/staf/skp/{approved.id}/")
    assert 'name="back" value="detail"' in page.text  # the form is on the page
    response = give(head, approved.id, "Data EMIS sudah rapi, lanjutkan.", rhk=approved.rhk)
    assert response.status_code == 302
    assert response["Location"] == f"/staf/skp/{approved.id}/#feedback-{approved.rhk}"
    give(head, approved.id, "Selalu tepat waktu melayani.", core_value="berorientasi_pelayanan")
    assert UmpanBalik.objects.count() == 2

    hr_user = factories.UserFactory(username="hr_tukin")
    AllowanceAdmin.objects.create(user=hr_user, office=org.unit.office)
    for user in (org.owner.user, org.head.user, hr_user):
        text = browser(user).get(f"/staf/skp/{approved.id}/").text
        rhk_block = text.split(f'id="feedback-{approved.rhk}"')[1].split("</div>")[0]
        assert "Data EMIS sudah rapi, lanjutkan." in rhk_block
        assert org.head.name in rhk_block and "Kepala Seksi Pendidikan Madrasah" in rhk_block
        value_block = text.split('id="feedback-berorientasi_pelayanan"')[1].split("</div>")[0]
        assert "Selalu tepat waktu melayani." in value_block
        assert f'datetime="{YEAR}-' in value_block  # dated
        history = text.split('id="panel-riwayat"')[1]
        assert history.count("feedback-entry") == 2
        assert "Data EMIS sudah rapi" in history and "Selalu tepat waktu" in history
    # Only the penilai of the day is offered the form.
    assert (
        'name="back" value="detail"'
        not in browser(org.owner.user).get(f"/staf/skp/{approved.id}/").text
    )


def test_nobody_else_sees_the_page_or_its_feedback(org, approved):
    give(browser(org.head.user), approved.id, "Catatan penilai", rhk=approved.rhk)
    assert UmpanBalik.objects.count() == 1
    other_office_hr = factories.UserFactory(username="hr_lain")
    AllowanceAdmin.objects.create(user=other_office_hr, office=factories.OfficeFactory())
    unit_staff = factories.UserFactory(username="petugas")
    factories.StaffMembershipFactory(user=unit_staff, unit=org.unit, role="hr")
    for user in (org.peer.user, other_office_hr, unit_staff):
        response = browser(user).get(f"/staf/skp/{approved.id}/")
        assert response.status_code == 404 and "Catatan penilai" not in response.text
    assert Client().get(f"/staf/skp/{approved.id}/").status_code == 302  # to the login
    # A peer may not write either.
    refused = give(browser(org.peer.user), approved.id, "Bukan penilai", rhk=approved.rhk)
    assert refused.status_code == 403 and UmpanBalik.objects.count() == 1


def test_a_plt_in_force_gives_and_sees_feedback_the_holder_does_not(org, approved):
    plt = factories.EmployeeFactory(name="Hendra Saputra", user__username="plt")
    factories.ActingAssignmentFactory(employee=plt, position=org.head_position)
    plt_page = browser(plt.user)
    assert give(plt_page, approved.id, "Dari Plt.", rhk=approved.rhk).status_code == 302
    text = plt_page.get(f"/staf/skp/{approved.id}/").text
    block = text.split(f'id="feedback-{approved.rhk}"')[1].split("</div>")[0]
    assert "Dari Plt." in block and "Hendra Saputra" in block and "Plt. Kepala Seksi" in block
    holder = browser(org.head.user)
    assert holder.get(f"/staf/skp/{approved.id}/").status_code == 404
    assert give(holder, approved.id, "Pemegang definitif", rhk=approved.rhk).status_code == 403
    owner_text = browser(org.owner.user).get(f"/staf/skp/{approved.id}/").text
    assert "Dari Plt." in owner_text.split('id="panel-riwayat"')[1]


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


@pytest.mark.parametrize("viewer", ["owner", "head"])
def test_the_page_answers_in_constant_queries_whatever_the_feedback(org, approved, viewer):
    head = browser(org.head.user)
    give(head, approved.id, "Satu", rhk=approved.rhk)
    client = browser(getattr(org, viewer).user)
    url = f"/staf/skp/{approved.id}/"
    client.get(url)  # the session's first request does its own bookkeeping
    one = _queries(client, url)
    for n in range(15):
        give(head, approved.id, f"Umpan balik {n}", rhk=approved.rhk)
        give(head, approved.id, f"Nilai {n}", core_value="akuntabel", period=f"{YEAR}")
    assert UmpanBalik.objects.count() == 31
    many = _queries(client, url)
    assert many == one, (one, many)
