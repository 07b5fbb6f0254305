"""A daily log entry linked to one of the month's rencana aksi (e-Kinerja "progress
harian"), and the office setting under which the month's realisation of a rencana aksi
is the sum of its linked entries (one skp rule, recomputed in the entry's transaction)."""

import datetime
from decimal import Decimal

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from attendance.models import DailyLogEntry
from skp.models import SkpStatus
from skp.models_evaluation import OfficePerformanceSetting
from skp.models_lock import PeriodLock
from skp.models_realisation import Realisasi, RencanaAksi
from tests import factories
from tests.attendance.conftest import client_for

pytestmark = pytest.mark.django_db


def write(client, org, **extra):
    body = {
        "date": org.today.isoformat(),
        "start": "08:00",
        "end": "09:30",
        "activity": "Rekap data EMIS madrasah",
        **extra,
    }
    return client.post("/api/v1/daily-log/", body, format="json")


def realisasi(ra) -> Decimal | None:
    row = Realisasi.objects.filter(rencana_aksi=ra).first()
    return None if row is None else row.value


# --- the link --------------------------------------------------------------------------


def test_an_entry_links_to_a_plan_of_its_month_and_returns_it(org, plans):
    client = client_for(org.staff.user)
    response = write(client, org, rencana_aksi=plans.rekap.pk, quantity="2")
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["rencana_aksi"] == plans.rekap.pk
    assert body["rencana_aksi_text"] == "Rekap EMIS"
    assert body["unit"] == "dok"  # taken from the plan when left empty
    listed = client.get(f"/api/v1/daily-log/?month={org.today:%Y-%m}").json()["results"]
    assert listed[0]["rencana_aksi"] == plans.rekap.pk
    # manual entry (the default setting): linking changes no realisation
    assert realisasi(plans.rekap) is None


@pytest.mark.parametrize("which", ["peers", "other_month", "unapproved", "missing"])
def test_a_plan_not_of_the_own_approved_skp_and_month_is_refused(org, plans, which):
    if which == "unapproved":
        plan = plans.rekap
        type(plans.skp).objects.filter(pk=plans.skp.pk).update(status=SkpStatus.SUBMITTED)
    elif which == "missing":
        plan = type("Gone", (), {"pk": 999999})
    else:
        plan = getattr(plans, which)
    response = write(client_for(org.staff.user), org, rencana_aksi=plan.pk)
    assert response.status_code == 400
    assert "SKP" in response.json()["rencana_aksi"][0]
    assert not DailyLogEntry.objects.exists()


def test_a_link_of_the_wrong_type_is_a_400_naming_it(org, plans):
    response = write(client_for(org.staff.user), org, rencana_aksi="rekap")
    assert response.status_code == 400 and "rencana_aksi" in response.json()


# --- the sum of the daily log ----------------------------------------------------------


@pytest.mark.usefixtures("daily_log_source")
def test_the_sum_follows_create_change_relink_and_delete(org, plans):
    client = client_for(org.staff.user)
    first = write(client, org, rencana_aksi=plans.rekap.pk, quantity="3").json()
    second = write(client, org, rencana_aksi=plans.rekap.pk, quantity="4").json()
    write(client, org, quantity="100")  # not linked: counts nowhere
    assert realisasi(plans.rekap) == 7
    row = Realisasi.objects.get(rencana_aksi=plans.rekap)
    assert (row.source, row.daily_entries, row.capaian_raw) == ("daily_log", 2, 70)

    changed = client.patch(f"/api/v1/daily-log/{second['id']}/", {"quantity": "5"}, format="json")
    assert changed.status_code == 200, changed.content
    assert realisasi(plans.rekap) == 8

    relinked = client.patch(
        f"/api/v1/daily-log/{second['id']}/", {"rencana_aksi": plans.verif.pk}, format="json"
    )
    assert relinked.json()["rencana_aksi"] == plans.verif.pk
    assert (realisasi(plans.rekap), realisasi(plans.verif)) == (3, 5)

    unlinked = client.patch(
        f"/api/v1/daily-log/{second['id']}/", {"rencana_aksi": None}, format="json"
    )
    assert unlinked.status_code == 200 and unlinked.json()["rencana_aksi"] is None
    assert realisasi(plans.verif) is None

    assert client.delete(f"/api/v1/daily-log/{first['id']}/").status_code == 204
    assert realisasi(plans.rekap) is None
    # the skp sheet shows it as the rest of the realisation (capped capaian, DOMAIN 2.3)
    write(client, org, rencana_aksi=plans.verif.pk, quantity="6")
    sheet = client.get(f"/api/v1/skp/{plans.skp.pk}/rencana-aksi/?bulan={org.today.month}")
    [item] = [r for r in sheet.json()["rhk"][0]["rencana_aksi"] if r["id"] == plans.verif.pk]
    assert item["realisasi"]["value"] == "6" and item["realisasi"]["capaian"] == "100.00"
    assert item["realisasi"]["source"] == "daily_log"
    assert sheet.json()["realisation_source"] == "daily_log"


@pytest.mark.usefixtures("daily_log_source")
def test_a_refused_move_to_another_month_keeps_everything(org, plans):
    client = client_for(org.staff.user)
    entry = write(client, org, rencana_aksi=plans.rekap.pk, quantity="3").json()
    moved = client.patch(
        f"/api/v1/daily-log/{entry['id']}/",
        {"date": org.today.replace(day=1) - datetime.timedelta(days=1)},
        format="json",
    )
    assert moved.status_code == 400 and "rencana_aksi" in moved.json()
    assert DailyLogEntry.objects.get().date == org.today
    assert realisasi(plans.rekap) == 3


@pytest.mark.usefixtures("daily_log_source")
def test_the_realisation_cannot_be_typed_when_it_is_the_sum(org, plans):
    client = client_for(org.staff.user)
    item = {"id": plans.rekap.pk, "rhk": plans.rhk.pk, "text": "Rekap EMIS"}
    item.update(target="10", unit="dok", realisasi={"value": "9", "note": "ketik"})
    response = client.put(
        f"/api/v1/skp/{plans.skp.pk}/rencana-aksi/",
        {"month": org.today.month, "items": [item]},
        format="json",
    )
    assert response.status_code == 400
    assert "catatan harian" in response.json()["items[0].realisasi"][0]
    assert realisasi(plans.rekap) is None
    # the page offers no realisation field, and its post is refused the same way
    page = Client()
    page.force_login(org.staff.user)
    sheet = page.get(f"/staf/skp/{plans.skp.pk}/realisasi/?bulan={org.today.month}")
    assert sheet.status_code == 200
    html = sheet.content.decode()
    assert 'id="daily-log-source"' in html and 'name="realisasi"' not in html
    # a target change still works (no realisation typed)
    item.pop("realisasi")
    item["target"] = "12"
    response = client.put(
        f"/api/v1/skp/{plans.skp.pk}/rencana-aksi/",
        {"month": org.today.month, "items": [item]},
        format="json",
    )
    assert response.status_code == 200, response.content


def test_manual_entry_is_still_typed_by_default(org, plans):
    item = {"id": plans.rekap.pk, "rhk": plans.rhk.pk, "text": "Rekap EMIS"}
    item.update(target="10", unit="dok", realisasi={"value": "9", "note": "ketik"})
    response = client_for(org.staff.user).put(
        f"/api/v1/skp/{plans.skp.pk}/rencana-aksi/",
        {"month": org.today.month, "items": [item]},
        format="json",
    )
    assert response.status_code == 200, response.content
    assert realisasi(plans.rekap) == 9


@pytest.mark.usefixtures("daily_log_source")
def test_a_locked_month_refuses_linked_writes_with_409(org, plans):
    client = client_for(org.staff.user)
    entry = write(client, org, rencana_aksi=plans.rekap.pk, quantity="3").json()
    PeriodLock.objects.create(
        office=org.office,
        year=org.today.year,
        month=org.today.month,
        status=PeriodLock.Status.LOCKED,
        payment_ref="Tukin Desember",
    )
    assert write(client, org, rencana_aksi=plans.rekap.pk, quantity="4").status_code == 409
    patched = client.patch(f"/api/v1/daily-log/{entry['id']}/", {"quantity": "9"}, format="json")
    assert patched.status_code == 409 and "terkunci" in patched.json()["detail"]
    assert client.delete(f"/api/v1/daily-log/{entry['id']}/").status_code == 409
    assert DailyLogEntry.objects.get().quantity == 3
    assert realisasi(plans.rekap) == 3
    # an entry linked to no plan changes no realisation: still written
    assert write(client, org, quantity="1").status_code == 201


@pytest.mark.usefixtures("daily_log_source")
def test_daily_evidence_counts_as_bukti_dukung_at_submission(org, plans):
    OfficePerformanceSetting.objects.filter(office=org.office).update(granularity="monthly")
    client = client_for(org.staff.user)
    write(client, org, rencana_aksi=plans.rekap.pk, quantity="3")
    period = f"{org.today:%Y-%m}"
    url = f"/api/v1/skp/{plans.skp.pk}/evaluations/{period}/submit/"
    refused = client.post(url)
    assert refused.status_code == 400 and "bukti dukung" in refused.json()["detail"]
    write(
        client,
        org,
        rencana_aksi=plans.rekap.pk,
        quantity="1",
        evidence_url="https://drive.example.go.id/rekap",
    )
    assert Realisasi.objects.get(rencana_aksi=plans.rekap).daily_evidence == 1
    assert client.post(url).status_code == 200
    # the month's evaluation is under way: its realisation no longer changes
    late = write(client, org, rencana_aksi=plans.rekap.pk, quantity="1")
    assert late.status_code == 409 and realisasi(plans.rekap) == 4


# --- pages --------------------------------------------------------------------------------


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.mark.usefixtures("daily_log_source")
def test_the_page_form_offers_the_months_plans_by_rhk_and_shows_the_sum(org, plans):
    client = browser(org.staff.user)
    html = client.get("/staf/presensi/catatan/").content.decode()
    assert '<optgroup label="Terlaksananya layanan data madrasah">' in html
    assert f'value="{plans.rekap.pk}"' in html and f'value="{plans.peers.pk}"' not in html
    assert f'value="{plans.other_month.pk}"' not in html
    assert 'id="sums-daily-log"' in html and "menjadi realisasinya" in html
    form = {
        "date": org.today.isoformat(),
        "start": "08:00",
        "end": "09:00",
        "activity": "Rekap",
        "quantity": "4",
    }
    refused = client.post("/staf/presensi/catatan/", {**form, "rencana_aksi": plans.peers.pk})
    assert refused.status_code == 400 and not DailyLogEntry.objects.exists()
    done = client.post("/staf/presensi/catatan/", {**form, "rencana_aksi": plans.rekap.pk})
    assert done.status_code == 302
    html = client.get("/staf/presensi/catatan/").content.decode()
    row = html[html.index(f'id="plan-{plans.rekap.pk}"') :][:900]
    assert 'class="plan-realisasi">4<' in row and "40.00%" in row
    entry = DailyLogEntry.objects.get()
    edit = client.post(
        f"/staf/presensi/catatan/{entry.pk}/ubah/",
        {**form, "quantity": "2", "rencana_aksi": plans.verif.pk},
    )
    assert edit.status_code == 302
    assert (realisasi(plans.rekap), realisasi(plans.verif)) == (None, 2)


def test_the_team_log_shows_the_plan_in_constant_queries(org, plans):
    staff = client_for(org.staff.user)
    head = browser(org.head.user)
    url = f"/staf/presensi/tim/catatan/{org.staff.nip}/?bulan={org.today:%Y-%m}"
    write(staff, org, rencana_aksi=plans.rekap.pk, quantity="1")
    head.get(url)  # warm caches (sessions, translations)
    with CaptureQueriesContext(connection) as one:
        assert head.get(url).status_code == 200
    for i in range(5):
        extra = RencanaAksi.objects.create(
            skp=plans.skp, rhk=plans.rhk, month=org.today.month, text=f"Aksi {i}", target=1
        )
        write(staff, org, rencana_aksi=extra.pk, quantity="1")
    with CaptureQueriesContext(connection) as six:
        page = head.get(url)
    assert len(six) == len(one), [q["sql"] for q in six.captured_queries]
    html = page.content.decode()
    assert "Aksi 4" in html and html.count("Rekap EMIS") >= 2  # the entry's column and plans
    assert 'id="sums-daily-log"' not in html  # manual entry in this office


def test_the_monthly_report_carries_the_months_plans(org, plans):
    client = client_for(org.staff.user)
    write(client, org, rencana_aksi=plans.rekap.pk, quantity="2")
    response = client.post(
        "/api/v1/daily-log/reports/", {"month": f"{org.today:%Y-%m}"}, format="json"
    )
    assert response.status_code == 201, response.content
    by_id = {p["id"]: p for p in response.json()["rencana_aksi"]}
    assert by_id[plans.rekap.pk]["entries"] == 1 and by_id[plans.rekap.pk]["target"] == "10"
    assert by_id[plans.verif.pk]["entries"] == 0
    team = browser(org.head.user).get("/staf/presensi/tim/").content.decode()
    assert "Rekap EMIS" in team[team.index('id="reports-h"') :]


def test_the_setting_is_chosen_in_the_admin(org):
    admin = factories.UserFactory(username="root", is_staff=True, is_superuser=True)
    client = browser(admin)
    url = "/admin/skp/officeperformancesetting/add/"
    assert 'name="realisation_source"' in client.get(url).content.decode()
    body = {"office": org.office.pk, "year": org.today.year, "granularity": "quarterly"}
    body.update(payment_cadence="monthly", realisation_source="daily_log")
    assert client.post(url, body).status_code == 302
    assert OfficePerformanceSetting.objects.get().realisation_source == "daily_log"
