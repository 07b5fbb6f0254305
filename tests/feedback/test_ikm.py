"""IKM exactly as DOMAIN.md section 9: the worked example, the band edges, aggregation."""

import datetime
from decimal import Decimal

import pytest

from feedback import selectors
from feedback.ikm import band_of, ikm_of
from feedback.models import ELEMENT_CODES, SurveyResponse
from tests import factories

WORKED_NRR = (3.62, 3.48, 3.45, 4.00, 3.52, 3.62, 3.66, 3.62, 3.97)


def test_worked_example_is_91_50_a_sangat_baik():
    ikm = ikm_of(WORKED_NRR)
    assert ikm == Decimal("91.50")
    band = band_of(ikm)
    assert (band.mutu, band.kinerja) == ("A", "Sangat baik")


@pytest.mark.parametrize(
    ("ikm", "mutu", "kinerja"),
    [
        ("100.00", "A", "Sangat baik"),
        ("88.31", "A", "Sangat baik"),
        ("88.30", "B", "Baik"),
        ("76.61", "B", "Baik"),
        ("76.60", "C", "Kurang baik"),
        ("65.00", "C", "Kurang baik"),
        ("64.99", "D", "Tidak baik"),
        ("25.00", "D", "Tidak baik"),
    ],
)
def test_band_edges(ikm, mutu, kinerja):
    band = band_of(Decimal(ikm))
    assert (band.mutu, band.kinerja) == (mutu, kinerja)


def test_only_the_final_ikm_is_rounded():
    # mean 3.5324 exactly -> 88.31 (A); rounding each NRR first would give 3.53 -> 88.25 (B)
    nrr = [Decimal("3.5324")] * 9
    assert ikm_of(nrr) == Decimal("88.31")
    assert band_of(ikm_of(nrr)).mutu == "A"


def _scores_for(total_per_element, respondents):
    """Per respondent answers whose per-element sums are the given totals."""
    rows = [{} for _ in range(respondents)]
    for code, total in zip(ELEMENT_CODES, total_per_element, strict=True):
        base, extra = divmod(total, respondents)
        for i, row in enumerate(rows):
            row[code] = base + (1 if i < extra else 0)
    return rows


@pytest.mark.django_db
def test_worked_example_through_the_database():
    """100 respondents whose NRR are the worked example's: the selector answers 91.50 A."""
    service = factories.ServiceTypeFactory()
    totals = [round(v * 100) for v in WORKED_NRR]
    SurveyResponse.objects.bulk_create(
        SurveyResponse(
            request_digest=f"{i:064d}",
            service=service,
            unit=service.unit,
            office=service.unit.office,
            answered_on=datetime.date(2026, 2, 1),
            channel="online",
            **scores,
        )
        for i, scores in enumerate(_scores_for(totals, 100))
    )
    figures = selectors.ikm_summary(office=service.unit.office)
    assert figures["respondents"] == 100
    assert figures["nrr"]["u1"] == Decimal("3.62") and figures["nrr"]["u9"] == Decimal("3.97")
    assert figures["ikm"] == Decimal("91.50")
    assert (figures["mutu"], figures["kinerja"]) == ("A", "Sangat baik")
    # period filters
    assert selectors.ikm_summary(start=datetime.date(2026, 3, 1))["respondents"] == 0
    assert selectors.ikm_summary(service=service, end=datetime.date(2026, 2, 1))["ikm"] == Decimal(
        "91.50"
    )


@pytest.mark.django_db
def test_ikm_api_and_trend(api_client, django_assert_max_num_queries):
    service = factories.ServiceTypeFactory()
    office = service.unit.office
    days = [datetime.date(2026, 1, 10), datetime.date(2026, 5, 5), datetime.date(2026, 5, 6)]
    for i, day in enumerate(days):
        SurveyResponse.objects.create(
            request_digest=f"{i:064d}",
            service=service,
            unit=service.unit,
            office=office,
            answered_on=day,
            channel="online",
            **dict.fromkeys(ELEMENT_CODES, 4 if i else 2),
        )
    body = api_client.get(f"/api/v1/ikm/?office={office.code}&from=2026-04-01").json()
    assert body == {
        "respondents": 2,
        "nrr": dict.fromkeys(ELEMENT_CODES, 4.0),
        "ikm": 100.0,
        "mutu": "A",
        "kinerja": "Sangat baik",
    }
    assert api_client.get("/api/v1/ikm/?from=2026-13-01").status_code == 400
    assert api_client.get("/api/v1/ikm/?office=NOPE").status_code == 400
    assert api_client.get("/api/v1/ikm/?from=2026-05-01&to=2026-01-01").status_code == 400
    empty = api_client.get("/api/v1/ikm/?from=2020-01-01&to=2020-12-31").json()
    assert empty["respondents"] == 0 and empty["ikm"] is None
    with django_assert_max_num_queries(1):
        trend = selectors.ikm_trend(office=office, today=datetime.date(2026, 6, 30), quarters=4)
    assert [(row["period"], row["respondents"], row["ikm"]) for row in trend] == [
        ("2025-Q3", 0, None),
        ("2025-Q4", 0, None),
        ("2026-Q1", 1, Decimal("50.00")),
        ("2026-Q2", 2, Decimal("100.00")),
    ]
