"""The SIASN-ready annual export (rw-skp22 field names) and the evaluation PDF."""

import pytest

from skp.models_evaluation import Evaluation
from tests.pdfcheck import assert_fonts_embedded, pdf_text
from tests.skp.conftest import YEAR
from tests.skp.evaluation.conftest import evidence, plan

pytestmark = pytest.mark.django_db

SKP22_FIELDS = {
    "tahun", "hasilKinerjaNilai", "perilakuKerjaNilai", "kuadranKinerjaNilai", "penilaiNama",
    "penilaiNipNrp", "penilaiGolongan", "penilaiJabatan", "penilaiUnorNama", "statusPenilai",
    "pnsDinilaiOrang", "path",
}  # fmt: skip


def test_siasn_skp22_lists_rated_annual_results(org, approved, owner, penilai, hr):
    org.head.golongan = "34"
    org.head.save(update_fields=["golongan"])
    for period, month in [(f"{YEAR}-Q4", 11), (str(YEAR), 11)]:
        if period == f"{YEAR}-Q4":
            evidence(owner, approved.id, plan(owner, approved, month))
        assert (
            owner.post(f"/api/v1/skp/{approved.id}/evaluations/{period}/submit/").status_code == 200
        )
        penilai.post(
            f"/api/v1/skp/{approved.id}/feedback/",
            {"period": period, "rhk": approved.rhk, "text": "ok"},
        )
        rated = penilai.post(
            f"/api/v1/skp/{approved.id}/evaluations/{period}/rate/",
            {"rating_hasil_kerja": 1, "rating_perilaku": 2},
        )
        assert rated.status_code == 200, rated.json()
    response = hr.get(f"/api/v1/siasn/skp22/?office={org.unit.office.code}&year={YEAR}")
    assert response.status_code == 200
    (record,) = response.json()
    assert set(record) == SKP22_FIELDS
    assert record["tahun"] == YEAR and record["kuadranKinerjaNilai"] == 2
    assert (record["hasilKinerjaNilai"], record["perilakuKerjaNilai"]) == (1, 2)
    assert record["penilaiNipNrp"] == org.head.nip and record["pnsDinilaiOrang"] == org.owner.nip
    assert record["penilaiJabatan"] == "Kepala Seksi Pendidikan Madrasah"
    assert record["statusPenilai"] == "ASN" and record["penilaiGolongan"]
    pdf = owner.get(f"/api/v1/skp/{approved.id}/evaluations/{YEAR}/pdf/?tanggal={YEAR}-12-31")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF")
    assert_fonts_embedded(pdf.content)  # the chart's labels too
    assert "KEMENTERIAN AGAMA REPUBLIK INDONESIA" in pdf_text(pdf.content)
    assert (
        owner.get(f"/api/v1/skp/{approved.id}/evaluations/{YEAR}/pdf/?tanggal=31-12").status_code
        == 400
    )
    assert Evaluation.objects.filter(status="rated").count() == 2
