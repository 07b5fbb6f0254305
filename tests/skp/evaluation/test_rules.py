"""The pure rules: the nine predikat cells, the distribution checks with DOMAIN.md 3.3's
worked examples, capaian rounding and the periods of a year."""

from decimal import Decimal

import pytest

from skp.rules import (
    Granularity,
    OrganisationGrade,
    Predikat,
    capaian,
    capaian_capped,
    distribution_checks,
    mean,
    period_parse,
    periods_of_year,
    predikat_for,
)

SB, B, BP, K, SK = 1, 2, 3, 4, 5


@pytest.mark.parametrize(
    ("hasil", "perilaku", "expected"),
    [
        (1, 1, 1),
        (1, 2, 2),
        (1, 3, 4),
        (2, 1, 2),
        (2, 2, 2),
        (2, 3, 4),
        (3, 1, 3),
        (3, 2, 3),
        (3, 3, 5),
    ],
)
def test_predikat_matrix_all_nine_cells(hasil, perilaku, expected):
    assert predikat_for(hasil_kerja=hasil, perilaku=perilaku) == expected


def test_predikat_labels_are_siasn_codes():
    assert [(p.value, p.label) for p in Predikat] == [
        (1, "Sangat Baik"),
        (2, "Baik"),
        (3, "Butuh Perbaikan"),
        (4, "Kurang/Misconduct"),
        (5, "Sangat Kurang"),
    ]


def _hard(grade, counts):
    return {c.rule: c.ok for c in distribution_checks(grade=grade, counts=counts) if c.hard}


def test_worked_example_baik_passes():
    assert all(_hard(OrganisationGrade.BAIK, {B: 7, SB: 1, BP: 2}).values())


def test_worked_example_baik_with_eight_b_fails_the_70_percent_rule():
    checks = _hard(OrganisationGrade.BAIK, {B: 8, SB: 1, BP: 1})
    assert checks == {"B <= 7 (70%)": False, "BP + K >= 1": True}


def test_worked_example_baik_without_bp_or_k_fails():
    checks = _hard(OrganisationGrade.BAIK, {B: 7, SB: 3})
    assert checks == {"B <= 7 (70%)": True, "BP + K >= 1": False}


def test_worked_example_butuh_perbaikan_of_five():
    assert _hard(OrganisationGrade.BUTUH_PERBAIKAN, {BP: 3, B: 2}) == {
        "BP >= 3 (60%)": True,
        "SB <= 0 (10%)": True,
    }
    assert _hard(OrganisationGrade.BUTUH_PERBAIKAN, {BP: 2, B: 3})["BP >= 3 (60%)"] is False
    assert _hard(OrganisationGrade.BUTUH_PERBAIKAN, {BP: 4, SB: 1})["SB <= 0 (10%)"] is False


def test_other_grades():
    assert all(_hard(OrganisationGrade.ISTIMEWA, {SB: 7, B: 3}).values())
    assert not all(_hard(OrganisationGrade.ISTIMEWA, {SB: 8, B: 2}).values())
    assert all(_hard(OrganisationGrade.KURANG, {K: 6, BP: 1, B: 3}).values())
    assert not all(_hard(OrganisationGrade.KURANG, {K: 6, B: 4}).values())
    assert all(_hard(OrganisationGrade.SANGAT_KURANG, {SK: 6, K: 1, B: 3}).values())
    assert _hard(OrganisationGrade.SANGAT_KURANG, {SK: 6, K: 1, SB: 3})["SB = 0"] is False


def test_soft_check_warns_when_the_named_grade_is_not_the_most_frequent():
    checks = distribution_checks(grade=OrganisationGrade.BAIK, counts={B: 2, BP: 5})
    soft = [c for c in checks if not c.hard]
    assert [(c.rule, c.ok) for c in soft] == [("B is the most frequent", False)]


def test_capaian_is_capped_rounded_half_up_and_zero_without_target():
    assert capaian(realisasi=Decimal(2), target=Decimal(3)) == Decimal("66.67")
    assert capaian(realisasi=Decimal(5), target=Decimal(3)) == Decimal("100.00")
    assert capaian(realisasi=Decimal(1), target=Decimal(0)) == Decimal("0.00")
    assert capaian(realisasi=None, target=Decimal(4)) == Decimal("0.00")
    assert capaian(realisasi=Decimal("0.00125"), target=Decimal(1)) == Decimal("0.13")
    two_thirds = capaian_capped(realisasi=Decimal(2), target=Decimal(3))
    assert mean([two_thirds, Decimal(100)]) == Decimal("83.33")
    assert mean([]) is None


def test_periods_cover_the_year_without_overlap_plus_the_annual():
    for granularity, expected in [
        (Granularity.QUARTERLY, ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4", "2026"]),
        (Granularity.SEMESTER, ["2026-S1", "2026-S2", "2026"]),
    ]:
        assert [p.code for p in periods_of_year(2026, granularity)] == expected
    monthly = periods_of_year(2026, Granularity.MONTHLY)
    assert len(monthly) == 13 and monthly[2].code == "2026-03"
    q2 = period_parse("2026-Q2")
    assert list(q2.months) == [4, 5, 6] and q2.end.isoformat() == "2026-06-30"
    assert period_parse("2026-13") is None and period_parse("2026-Q5") is None
    assert period_parse("26") is None and period_parse("") is None
