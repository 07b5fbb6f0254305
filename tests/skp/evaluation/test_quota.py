"""The unit's Laporan Predikat Kinerja (CONTRACT.md 7, DOMAIN.md 3): the head above sets
the grade; counts, checks and pass/fail; finalising with a failing check is 409 unless an
override reason is recorded (or the setting says warn-only); constant query counts."""

from io import BytesIO

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from skp.models_evaluation import Evaluation, EvaluationEvent, PredikatFinalisation
from tests import factories
from tests.skp.conftest import YEAR, client_for
from tests.skp.evaluation.orgtree import approved_skp, staff

pytestmark = pytest.mark.django_db
Q1 = f"{YEAR}-Q1"


@pytest.fixture
def seksi(db):
    office = factories.OfficeFactory(code="KJB")
    tu = factories.UnitFactory(office=office, code="tu")
    kakan_pos, kakan = staff(
        tu, "Kepala Kantor", superior=None, kind="administrator", username="kakan"
    )
    unit = factories.UnitFactory(office=office, code="pendma", name="Seksi Pendma")
    kasi_pos, kasi = staff(
        unit, "Kasi Pendma", superior=kakan_pos, kind="pengawas", username="kasi"
    )
    return unit, kakan, kasi_pos, kasi


def employees_rated(unit, kasi_pos, predikats):
    for i, code in enumerate(predikats):
        position, employee = staff(unit, f"Staf {i}", superior=kasi_pos)
        skp = approved_skp(employee, position)
        Evaluation.objects.create(skp=skp, period=Q1, kind="quarter", status="rated", predikat=code)


def report(client, **params):
    params = {"unit": "KJB.pendma", "period": Q1, **params}
    return client.get("/api/v1/predikat-report/", params)


def test_the_head_above_grades_and_the_report_counts_and_checks(seksi):
    unit, kakan, kasi_pos, kasi = seksi
    employees_rated(unit, kasi_pos, [2] * 7 + [1] + [3] * 2)
    head = client_for(kakan.user)
    assert (
        client_for(kasi.user)
        .put("/api/v1/organisation-grades/", {"unit": "KJB.pendma", "period": Q1, "grade": "baik"})
        .status_code
        == 403
    )
    response = head.put(
        "/api/v1/organisation-grades/", {"unit": "KJB.pendma", "period": Q1, "grade": "baik"}
    )
    assert response.status_code == 200, response.json()
    body = report(head).json()
    assert body["organisation_grade"] == "baik" and body["n"] == 10
    assert body["counts"] == {"1": 1, "2": 7, "3": 2, "4": 0, "5": 0}
    assert [(c["rule"], c["ok"]) for c in body["checks"] if c["hard"]] == [
        ("B <= 7 (70%)", True),
        ("BP + K >= 1", True),
    ]
    assert body["ok"] is True
    assert report(client_for(kasi.user)).status_code == 200  # the unit's leader sees it
    outsider = factories.EmployeeFactory(user__username="luar")
    assert report(client_for(outsider.user)).status_code == 404


def test_finalising_a_failing_unit_is_409_unless_overridden(seksi):
    unit, kakan, kasi_pos, _kasi = seksi
    employees_rated(unit, kasi_pos, [2] * 7 + [1] * 3)  # no BP/K: fails under Baik
    head = client_for(kakan.user)
    head.put("/api/v1/organisation-grades/", {"unit": "KJB.pendma", "period": Q1, "grade": "baik"})
    assert report(head).json()["ok"] is False
    url = "/api/v1/predikat-report/finalise/"
    refused = head.post(url, {"unit": "KJB.pendma", "period": Q1})
    assert refused.status_code == 409 and "BP + K >= 1" in refused.json()["detail"]
    assert not PredikatFinalisation.objects.exists()
    assert set(Evaluation.objects.values_list("status", flat=True)) == {"rated"}
    done = head.post(url, {"unit": "KJB.pendma", "period": Q1, "override_reason": "Unit kecil"})
    assert done.status_code == 200 and done.json()["finalised"] is True
    assert done.json()["override_reason"] == "Unit kecil"
    assert set(Evaluation.objects.values_list("status", flat=True)) == {"locked"}
    assert EvaluationEvent.objects.filter(action="locked").count() == 10
    assert head.post(url, {"unit": "KJB.pendma", "period": Q1}).status_code == 409
    assert (
        head.put(
            "/api/v1/organisation-grades/",
            {"unit": "KJB.pendma", "period": Q1, "grade": "istimewa"},
        ).status_code
        == 409
    )


def test_warn_only_setting_lets_a_failing_unit_finalise(seksi, settings):
    settings.SKP_QUOTA_WARN_ONLY = True
    unit, kakan, kasi_pos, _kasi = seksi
    employees_rated(unit, kasi_pos, [2, 2])
    head = client_for(kakan.user)
    head.put("/api/v1/organisation-grades/", {"unit": "KJB.pendma", "period": Q1, "grade": "baik"})
    response = head.post("/api/v1/predikat-report/finalise/", {"unit": "KJB.pendma", "period": Q1})
    assert response.status_code == 200
    assert PredikatFinalisation.objects.get().ok is False


def test_finalise_needs_a_grade_and_bad_input_is_400(seksi):
    _unit, kakan, *_ = seksi
    head = client_for(kakan.user)
    url = "/api/v1/predikat-report/finalise/"
    assert head.post(url, {"unit": "KJB.pendma", "period": Q1}).status_code == 409
    assert head.post(url, {"unit": "KJB.nope", "period": Q1}).status_code == 400
    assert head.post(url, {"unit": "KJB.pendma", "period": "2026-Q7"}).status_code == 400
    assert (
        head.put(
            "/api/v1/organisation-grades/", {"unit": "KJB.pendma", "period": Q1, "grade": "super"}
        ).status_code
        == 400
    )


def test_report_excel(seksi):
    unit, kakan, kasi_pos, _ = seksi
    employees_rated(unit, kasi_pos, [2, 3])
    head = client_for(kakan.user)
    head.put("/api/v1/organisation-grades/", {"unit": "KJB.pendma", "period": Q1, "grade": "baik"})
    response = head.get("/api/v1/predikat-report/xlsx/", {"unit": "KJB.pendma", "period": Q1})
    assert response.status_code == 200
    ws = load_workbook(BytesIO(response.content)).active
    cells = [c for row in ws.iter_rows(values_only=True) for c in row if c is not None]
    assert "Laporan Predikat Kinerja" in cells and "Butuh Perbaikan" in cells
    assert "B <= 1 (70%)" in cells


def test_report_answers_in_constant_queries_for_1_and_30_employees(seksi):
    unit, kakan, kasi_pos, _ = seksi
    head = client_for(kakan.user)
    head.put("/api/v1/organisation-grades/", {"unit": "KJB.pendma", "period": Q1, "grade": "baik"})
    counts = {}
    for size, more in [(1, [2]), (30, [2] * 29)]:
        employees_rated(unit, kasi_pos, more)
        with CaptureQueriesContext(connection) as queries:
            assert report(head).json()["n"] == size
        counts[size] = len(queries)
    assert counts[1] == counts[30], counts
