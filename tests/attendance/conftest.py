"""An office slice for attendance: Seksi Pendidikan Madrasah of Kantor Kemenag Kota
Jambi with its head and one staff employee (enrolled), the office geofence, HR."""

import datetime
from pathlib import Path
from types import SimpleNamespace

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from rest_framework.test import APIClient

from attendance.models import WorkLocation
from skp.models import SkpStatus
from skp.models_evaluation import OfficePerformanceSetting
from skp.models_realisation import RencanaAksi
from tests import factories

IMAGES = Path(__file__).parent / "images"
# Kantor Kemenag Kota Jambi (approximately): the office geofence's centre.
OFFICE_LAT, OFFICE_LON = -1.610123, 103.613120


def photo(name: str) -> SimpleUploadedFile:
    """face.jpg (the enrolment), same_face.jpg (the same person, 70 %, gamma 1.4),
    other_face.jpg (someone else), no_face.jpg (a cup of coffee)."""
    data = (IMAGES / name).read_bytes()
    return SimpleUploadedFile(name, data, content_type="image/jpeg")


def client_for(user) -> APIClient:
    client = APIClient()
    client.force_authenticate(user)
    return client


@pytest.fixture(autouse=True)
def _media(settings, tmp_path):
    settings.MEDIA_ROOT = tmp_path / "media"


@pytest.fixture
def org(db):
    office = factories.OfficeFactory(code="KJB", name="Kantor Kementerian Agama Kota Jambi")
    unit = factories.UnitFactory(office=office, code="pendma", name="Seksi Pendidikan Madrasah")
    tu = factories.UnitFactory(office=office, code="tu", name="Subbagian Tata Usaha")
    head_position = factories.PositionFactory(
        unit=unit, name="Kepala Seksi Pendidikan Madrasah", kind="pengawas"
    )
    staff_position = factories.PositionFactory(
        unit=unit, name="Pengelola Data Madrasah", superior=head_position
    )
    staff = factories.EmployeeFactory(name="Siti Rahmawati", user__username="siti")
    head = factories.EmployeeFactory(name="Ahmad Fauzi", user__username="fauzi")
    peer = factories.EmployeeFactory(name="Budi Santoso", user__username="budi")
    for employee, position in [
        (staff, staff_position),
        (head, head_position),
        (peer, staff_position),
    ]:
        factories.PositionHoldingFactory(employee=employee, position=position)
    hr = factories.UserFactory(username="kepegawaian")
    factories.StaffMembershipFactory(user=hr, unit=tu, role="hr")
    location = WorkLocation.objects.create(
        kind="office",
        office=office,
        name="Kantor Kemenag Kota Jambi",
        latitude=OFFICE_LAT,
        longitude=OFFICE_LON,
        radius_m=150,
        max_accuracy_m=50,
    )
    return SimpleNamespace(
        office=office,
        unit=unit,
        tu=tu,
        head_position=head_position,
        staff_position=staff_position,
        staff=staff,
        head=head,
        peer=peer,
        hr=hr,
        location=location,
        today=timezone.localdate(),
    )


@pytest.fixture
def enrolled(org):
    """Siti enrolled with face.jpg, with consent."""
    response = client_for(org.staff.user).post(
        "/api/v1/attendance/face/",
        {"photo": photo("face.jpg"), "consent": "true"},
        format="multipart",
    )
    assert response.status_code == 201, response.content
    return org


def check(
    user, *, kind="in", lat=OFFICE_LAT, lon=OFFICE_LON, accuracy=12, image="same_face.jpg", **extra
):
    payload = {"kind": kind, "latitude": lat, "longitude": lon, "accuracy": accuracy}
    if image:
        payload["photo"] = photo(image)
    payload.update(extra)
    return client_for(user).post("/api/v1/attendance/", payload, format="multipart")


DAY = datetime.timedelta(days=1)


def _other_month(today: datetime.date) -> int:
    return today.month - 1 if today.month > 1 else 2


@pytest.fixture
def plans(org):
    """Siti's approved SKP of this year: RHK "Layanan data" with two rencana aksi this
    month (targets 10 and 4) and one in another month; Budi's approved SKP with one."""
    year, month = org.today.year, org.today.month

    def skp_of(employee, status=SkpStatus.APPROVED):
        skp = factories.SkpFactory(
            employee=employee, position=org.staff_position, year=year, status=status
        )
        return skp, factories.RhkFactory(skp=skp, text="Terlaksananya layanan data madrasah")

    skp, rhk = skp_of(org.staff)
    peer_skp, peer_rhk = skp_of(org.peer)
    new = RencanaAksi.objects.create
    return type(
        "Plans",
        (),
        {
            "skp": skp,
            "rhk": rhk,
            "rekap": new(skp=skp, rhk=rhk, month=month, text="Rekap EMIS", target=10, unit="dok"),
            "verif": new(skp=skp, rhk=rhk, month=month, text="Verifikasi", target=4, unit="dok"),
            "other_month": new(
                skp=skp, rhk=rhk, month=_other_month(org.today), text="Rekap", target=5, unit="d"
            ),
            "peers": new(
                skp=peer_skp, rhk=peer_rhk, month=month, text="Rekap EMIS", target=3, unit="d"
            ),
        },
    )


@pytest.fixture
def daily_log_source(org):
    OfficePerformanceSetting.objects.create(
        office=org.office, year=org.today.year, realisation_source="daily_log"
    )
