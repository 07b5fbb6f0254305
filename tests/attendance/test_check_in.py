"""Checking in: accepted with the enrolled face inside the geofence; 400 without a face;
flagged (never silently accepted) outside the geofence, with a poor GPS fix, another
face, a replayed photo or a device clock far from the server's."""

import datetime

import pytest
from django.utils import timezone

from attendance.models import AttendanceRecord, FaceEnrolment, WorkLocation
from tests.attendance.conftest import OFFICE_LAT, check, client_for, photo

pytestmark = pytest.mark.django_db


def test_enrolled_face_inside_the_geofence_is_accepted(enrolled):
    response = check(enrolled.staff.user, lat=OFFICE_LAT + 0.0005)  # about 55 m away
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["kind"] == "in"
    assert body["within_geofence"] is True
    assert body["face_match"] is True
    assert body["status"] == "accepted"
    assert body["flags"] == []
    assert set(body) >= {"id", "kind", "at", "within_geofence", "face_match", "status"}
    record = AttendanceRecord.objects.get(pk=body["id"])
    assert record.face_distance < 0.6
    assert 40 < record.distance_m < 70
    assert record.photo  # a small copy is kept for the retention period


def test_a_photo_without_a_face_is_refused_naming_photo(enrolled):
    response = check(enrolled.staff.user, image="no_face.jpg")
    assert response.status_code == 400
    assert "photo" in response.json()
    assert not AttendanceRecord.objects.exists()


def test_no_photo_or_not_an_image_is_refused(enrolled):
    assert "photo" in check(enrolled.staff.user, image=None).json()
    from django.core.files.uploadedfile import SimpleUploadedFile

    fake = SimpleUploadedFile("x.jpg", b"%PDF-1.4 not a photo", content_type="image/jpeg")
    response = check(enrolled.staff.user, image=None, photo=fake)
    assert response.status_code == 400
    assert "photo" in response.json()
    assert not AttendanceRecord.objects.exists()


def test_outside_the_geofence_is_flagged(enrolled):
    response = check(enrolled.staff.user, lat=OFFICE_LAT + 0.02)  # about 2 km away
    body = response.json()
    assert response.status_code == 201
    assert body["within_geofence"] is False
    assert body["status"] == "flagged"
    assert body["flags"] == ["outside_geofence"]


def test_a_poor_gps_fix_is_flagged(enrolled):
    body = check(enrolled.staff.user, accuracy=400).json()
    assert body["status"] == "flagged"
    assert body["flags"] == ["low_accuracy"]


def test_another_face_is_flagged(enrolled):
    body = check(enrolled.staff.user, image="other_face.jpg").json()
    assert body["face_match"] is False
    assert body["status"] == "flagged"
    assert body["flags"] == ["face_mismatch"]


def test_the_same_photo_twice_is_flagged_as_replayed(enrolled):
    first = check(enrolled.staff.user).json()
    second = check(enrolled.staff.user, kind="out").json()
    assert first["status"] == "accepted"
    assert second["status"] == "flagged"
    assert second["flags"] == ["replayed_photo"]


def test_the_enrolment_photo_sent_again_is_a_replay(enrolled):
    body = check(enrolled.staff.user, image="face.jpg").json()
    assert "replayed_photo" in body["flags"]


def test_a_device_clock_far_from_the_server_is_flagged(enrolled):
    stale = (timezone.now() - datetime.timedelta(hours=3)).isoformat()
    body = check(enrolled.staff.user, captured_at=stale).json()
    assert body["flags"] == ["clock_skew"]
    fresh = timezone.now().isoformat()
    body = check(enrolled.staff.user, image="face.jpg", captured_at=fresh).json()
    assert "clock_skew" not in body["flags"]


def test_an_approved_wfh_location_counts_only_between_its_dates(enrolled):
    home = {"latitude": -1.65, "longitude": 103.58}
    WorkLocation.objects.create(
        kind="wfh",
        employee=enrolled.staff,
        name="Rumah",
        radius_m=100,
        max_accuracy_m=50,
        decree_number="B-12/Kk.05.1/KP.07/2026",
        valid_from=enrolled.today,
        valid_until=enrolled.today + datetime.timedelta(days=5),
        **home,
    )
    body = check(enrolled.staff.user, lat=home["latitude"], lon=home["longitude"]).json()
    assert body["status"] == "accepted"
    assert body["location_name"] == "Rumah"
    WorkLocation.objects.filter(kind="wfh").update(
        valid_until=enrolled.today - datetime.timedelta(days=1),
        valid_from=enrolled.today - datetime.timedelta(days=9),
    )
    body = check(
        enrolled.staff.user, lat=home["latitude"], lon=home["longitude"], image="face.jpg"
    ).json()
    assert "outside_geofence" in body["flags"]


@pytest.mark.parametrize(
    ("field", "values"),
    [("latitude", {"lat": "91"}), ("longitude", {"lon": "abc"}), ("accuracy", {"accuracy": "nan"})],
)
def test_bad_numbers_are_refused_by_name(enrolled, field, values):
    response = check(enrolled.staff.user, **values)
    assert response.status_code == 400, response.content
    assert field in response.json()
    assert not AttendanceRecord.objects.exists()


def test_without_an_enrolment_check_in_is_refused(org):
    response = check(org.staff.user)
    assert response.status_code == 409
    assert not AttendanceRecord.objects.exists()


def test_enrolment_needs_consent_and_a_face(org):
    client = client_for(org.staff.user)
    response = client.post(
        "/api/v1/attendance/face/", {"photo": photo("face.jpg")}, format="multipart"
    )
    assert response.status_code == 400
    assert "consent" in response.json()
    response = client.post(
        "/api/v1/attendance/face/",
        {"photo": photo("no_face.jpg"), "consent": "true"},
        format="multipart",
    )
    assert response.status_code == 400
    assert "photo" in response.json()
    assert not FaceEnrolment.objects.exists()


def test_the_employee_may_delete_the_enrolment(enrolled, django_capture_on_commit_callbacks):
    enrolment = FaceEnrolment.objects.get()
    path = enrolment.photo.path
    assert enrolment.consent_text and enrolment.consented_at
    assert len(enrolment.descriptor) == 128
    client = client_for(enrolled.staff.user)
    with django_capture_on_commit_callbacks(execute=True):
        assert client.delete("/api/v1/attendance/face/").status_code == 204
    assert not FaceEnrolment.objects.exists()
    import os

    assert not os.path.exists(path)
    assert client.get("/api/v1/attendance/face/").json()["enrolled"] is False


def test_photos_are_seen_by_the_employee_the_superior_and_hr_only(enrolled):
    record_id = check(enrolled.staff.user).json()["id"]
    url = f"/api/v1/attendance/records/{record_id}/photo/"
    for user in (enrolled.staff.user, enrolled.head.user, enrolled.hr):
        response = client_for(user).get(url)
        assert response.status_code == 200, user
        assert response["Content-Type"] == "image/jpeg"
    assert client_for(enrolled.peer.user).get(url).status_code == 404


def test_the_superior_reviews_a_flagged_record(enrolled):
    record_id = check(enrolled.staff.user, lat=OFFICE_LAT + 0.02).json()["id"]
    url = f"/api/v1/attendance/records/{record_id}/review/"
    assert client_for(enrolled.peer.user).post(url, {"decision": "accept"}).status_code == 404
    refused = client_for(enrolled.head.user).post(url, {"decision": "reject"})
    assert refused.status_code == 400 and "note" in refused.json()
    done = client_for(enrolled.head.user).post(url, {"decision": "accept", "note": "rapat di luar"})
    assert done.status_code == 200
    assert done.json()["status"] == "accepted"
    again = client_for(enrolled.head.user).post(url, {"decision": "accept"})
    assert again.status_code == 409


def test_old_photos_are_purged_and_the_record_stays(enrolled, settings):
    from attendance.services import photos_purge

    record = AttendanceRecord.objects.get(pk=check(enrolled.staff.user).json()["id"])
    path = record.photo.path
    later = timezone.now() + datetime.timedelta(days=settings.ATTENDANCE_PHOTO_RETENTION_DAYS + 1)
    assert photos_purge(now=later) == 1
    record.refresh_from_db()
    assert not record.photo
    import os

    assert not os.path.exists(path)
    assert photos_purge(now=later) == 0
    response = client_for(enrolled.staff.user).get(f"/api/v1/attendance/records/{record.pk}/photo/")
    assert response.status_code == 404


def test_check_in_needs_a_login(db, api_client):
    assert api_client.post("/api/v1/attendance/", {}).status_code == 401
