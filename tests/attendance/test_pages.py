"""The attendance pages: the phone check-in (form post), enrolment with consent, the
team page and its Excel export for the superior and HR, 403/404 for others."""

import io

import pytest
from django.test import Client
from openpyxl import load_workbook

from attendance.models import AttendanceRecord, FaceEnrolment
from tests.attendance.conftest import OFFICE_LAT, OFFICE_LON, check, photo

pytestmark = pytest.mark.django_db


def browser(user) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_enrol_then_check_in_through_the_page(org):
    client = browser(org.staff.user)
    page = client.get("/staf/presensi/")
    assert "Daftarkan wajah saya" in page.content.decode()
    refused = client.post("/staf/presensi/wajah/", {"photo": photo("face.jpg")})
    assert refused.status_code == 400
    assert "persetujuan" in refused.content.decode().lower()
    assert not FaceEnrolment.objects.exists()
    done = client.post("/staf/presensi/wajah/", {"photo": photo("face.jpg"), "consent": "on"})
    assert done.status_code == 302
    page = client.get("/staf/presensi/").content.decode()
    assert 'capture="user"' in page and 'name="latitude"' in page
    sent = client.post(
        "/staf/presensi/",
        {
            "kind": "in",
            "latitude": OFFICE_LAT,
            "longitude": OFFICE_LON,
            "accuracy": "10",
            "photo": photo("same_face.jpg"),
        },
        follow=True,
    )
    assert AttendanceRecord.objects.get().status == "accepted"
    assert "Absen masuk tercatat" in sent.content.decode()
    no_face = client.post(
        "/staf/presensi/",
        {
            "kind": "out",
            "latitude": OFFICE_LAT,
            "longitude": OFFICE_LON,
            "accuracy": "10",
            "photo": photo("no_face.jpg"),
        },
    )
    assert no_face.status_code == 400
    assert "Tidak ada wajah" in no_face.content.decode()


def test_the_team_page_and_excel_for_the_superior(enrolled):
    check(enrolled.staff.user, lat=OFFICE_LAT + 0.03)  # flagged
    page = browser(enrolled.head.user).get("/staf/presensi/tim/")
    html = page.content.decode()
    assert page.status_code == 200
    assert "Siti Rahmawati" in html and "Budi Santoso" in html
    assert "Di luar lokasi kerja" in html
    record = AttendanceRecord.objects.get()
    assert f"/staf/presensi/foto/{record.pk}/" in html
    excel = browser(enrolled.head.user).get(f"/staf/presensi/tim/excel/?unit={enrolled.unit.pk}")
    assert excel.status_code == 200
    book = load_workbook(io.BytesIO(excel.content))
    rows = list(book.worksheets[0].iter_rows(min_row=5, values_only=True))
    assert [r[0] for r in rows] == ["Budi Santoso", "Siti Rahmawati"]
    flagged_column = 7
    assert rows[1][flagged_column] == 1


def test_hr_sees_every_unit_of_the_office_a_colleague_nothing(enrolled):
    hr = browser(enrolled.hr).get(f"/staf/presensi/tim/?unit={enrolled.unit.pk}")
    assert "Ahmad Fauzi" in hr.content.decode()
    assert browser(enrolled.peer.user).get("/staf/presensi/tim/").status_code == 403
    assert (
        browser(enrolled.head.user).get(f"/staf/presensi/tim/?unit={enrolled.tu.pk}").status_code
        == 404
    )
    record_id = check(enrolled.staff.user).json()["id"]
    assert browser(enrolled.peer.user).get(f"/staf/presensi/foto/{record_id}/").status_code == 404
    assert browser(enrolled.hr).get(f"/staf/presensi/foto/{record_id}/").status_code == 200


def test_review_from_the_team_page(enrolled):
    check(enrolled.staff.user, accuracy=500)
    record = AttendanceRecord.objects.get()
    client = browser(enrolled.head.user)
    client.post(f"/staf/presensi/tinjau/{record.pk}/", {"decision": "reject"})
    record.refresh_from_db()
    assert record.status == "flagged"  # a rejection needs a note
    client.post(f"/staf/presensi/tinjau/{record.pk}/", {"decision": "reject", "note": "palsu"})
    record.refresh_from_db()
    assert record.status == "rejected" and record.review_note == "palsu"
