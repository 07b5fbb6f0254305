"""HR uploads a SIASN export on /staf/kepegawaian/impor/: the upload goes to the worker
(after commit), the import page shows its progress and then the summary."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client

from personnel.models import SiasnImport, SiasnRecord
from tests.personnel.conftest import bkn_people
from tests.personnel.siasn_files import export_csv

pytestmark = pytest.mark.django_db


@pytest.fixture
def hr_client(hr_user):
    client = Client()
    client.force_login(hr_user)
    return client


def test_upload_runs_the_import_and_shows_the_summary(
    hr_client, office, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("export.csv", export_csv(bkn_people(office)), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post(
            "/staf/kepegawaian/impor/", {"file": upload}, HTTP_X_REQUESTED_WITH="XMLHttpRequest"
        )
    assert response.status_code == 204
    siasn_import = SiasnImport.objects.get()
    assert response["X-Location"] == f"/staf/kepegawaian/impor/{siasn_import.pk}/"
    assert siasn_import.status == "done" and siasn_import.stored_file == ""
    assert SiasnRecord.objects.count() == 5
    progress = hr_client.get(f"/staf/kepegawaian/impor/{siasn_import.pk}/progres/").json()
    assert progress == {
        "status": "done",
        "status_label": progress["status_label"],
        "percent": 100,
        "rows_read": 5,
        "finished": True,
    }
    page = hr_client.get(response["X-Location"]).content.decode()
    assert 'class="facts import-summary"' in page
    assert "export.csv" in page


def test_progress_of_a_running_import(hr_client, db):
    siasn_import = SiasnImport.objects.create(
        source="upload", status="running", bytes_total=1000, bytes_read=250, rows_read=90
    )
    progress = hr_client.get(f"/staf/kepegawaian/impor/{siasn_import.pk}/progres/").json()
    assert (progress["percent"], progress["rows_read"], progress["finished"]) == (25, 90, False)
    page = hr_client.get(f"/staf/kepegawaian/impor/{siasn_import.pk}/").content.decode()
    assert '<progress id="import-bar" max="100" value="25">' in page
    assert "import-progress.js" in page


def test_a_file_that_is_not_a_siasn_export_is_reported(
    hr_client, db, django_capture_on_commit_callbacks
):
    upload = SimpleUploadedFile("daftar.csv", b"nama,alamat\nA,B\n", "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = hr_client.post("/staf/kepegawaian/impor/", {"file": upload})
    assert response.status_code == 302
    siasn_import = SiasnImport.objects.get()
    assert siasn_import.status == "failed"
    assert "NIP BARU" in siasn_import.error
    page = hr_client.get(response["Location"]).content.decode()
    assert "NIP BARU" in page


def test_no_file_and_too_large_files_are_refused(hr_client, settings, db):
    assert hr_client.post("/staf/kepegawaian/impor/", {}).status_code == 400
    settings.SIASN_IMPORT_MAX_BYTES = 10
    upload = SimpleUploadedFile("export.csv", b"x" * 100, "text/csv")
    assert hr_client.post("/staf/kepegawaian/impor/", {"file": upload}).status_code == 413
    assert SiasnImport.objects.count() == 0


def test_the_api_upload_answers_202_and_the_import_can_be_followed(
    hr_user, office, django_capture_on_commit_callbacks
):
    from tests.skp.conftest import client_for

    api = client_for(hr_user)
    upload = SimpleUploadedFile("export.csv", export_csv(bkn_people(office)), "text/csv")
    with django_capture_on_commit_callbacks(execute=True):
        response = api.post("/api/v1/personnel/imports/", {"file": upload}, format="multipart")
    assert response.status_code == 202
    body = api.get(f"/api/v1/personnel/imports/{response.json()['id']}/").json()
    assert body["status"] == "done" and body["summary"]["created"] == 5
