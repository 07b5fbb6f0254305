"""The arithmetic and tables of SKP evaluation (DOMAIN.md sections 2 to 4), pure and
database-free: periods, capaian, the predikat matrix and the distribution checks.

One home for each rule; services, selectors, exports and tests all read them here.
"""

import calendar
import datetime
import math
import re
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

from django.db import models
from django.utils.dates import MONTHS
from django.utils.translation import gettext_lazy as _

HUNDRED = Decimal(100)
CENT = Decimal("0.01")


# --- periods -------------------------------------------------------------------------------


class Granularity(models.TextChoices):
    """How an office cuts the year into periodic evaluations (DOMAIN.md 2.1)."""

    MONTHLY = "monthly", _("Monthly")
    QUARTERLY = "quarterly", _("Quarterly")
    SEMESTER = "semester", _("Semester")


class PeriodKind(models.TextChoices):
    MONTH = "month", _("Month")
    QUARTER = "quarter", _("Quarter")
    SEMESTER = "semester", _("Semester")
    ANNUAL = "annual", _("Annual")


GRANULARITY_KIND = {
    Granularity.MONTHLY: PeriodKind.MONTH,
    Granularity.QUARTERLY: PeriodKind.QUARTER,
    Granularity.SEMESTER: PeriodKind.SEMESTER,
}
_PERIOD = re.compile(r"^(?P<year>\d{4})(?:-(?:(?P<month>\d{2})|Q(?P<q>[1-4])|S(?P<s>[12])))?$")


@dataclass(frozen=True)
class Period:
    """An evaluation period: `YYYY-MM`, `YYYY-Qn`, `YYYY-Sn` or `YYYY` (annual)."""

    year: int
    kind: str
    first_month: int
    last_month: int

    @property
    def code(self) -> str:
        if self.kind == PeriodKind.ANNUAL:
            return f"{self.year}"
        if self.kind == PeriodKind.MONTH:
            return f"{self.year}-{self.first_month:02d}"
        if self.kind == PeriodKind.QUARTER:
            return f"{self.year}-Q{(self.first_month - 1) // 3 + 1}"
        return f"{self.year}-S{(self.first_month - 1) // 6 + 1}"

    @property
    def months(self) -> range:
        return range(self.first_month, self.last_month + 1)

    @property
    def start(self) -> datetime.date:
        return datetime.date(self.year, self.first_month, 1)

    @property
    def end(self) -> datetime.date:
        return datetime.date(
            self.year, self.last_month, calendar.monthrange(self.year, self.last_month)[1]
        )

    @property
    def label(self) -> str:
        if self.kind == PeriodKind.ANNUAL:
            return str(_("Annual %(year)d")) % {"year": self.year}
        if self.kind == PeriodKind.MONTH:
            return f"{MONTHS[self.first_month]} {self.year}"
        if self.kind == PeriodKind.QUARTER:
            return str(_("Quarter %(n)s %(year)d")) % {
                "n": ROMAN[(self.first_month - 1) // 3 + 1],
                "year": self.year,
            }
        return str(_("Semester %(n)s %(year)d")) % {
            "n": ROMAN[(self.first_month - 1) // 6 + 1],
            "year": self.year,
        }


ROMAN = {1: "I", 2: "II", 3: "III", 4: "IV"}


def period_parse(code: str) -> Period | None:
    """The period named `code`, or None when it is not a period name."""
    match = _PERIOD.match(code or "")
    if not match:
        return None
    year = int(match["year"])
    if not 2000 <= year <= 2100:
        return None
    if match["month"]:
        month = int(match["month"])
        if not 1 <= month <= 12:
            return None
        return Period(year, PeriodKind.MONTH, month, month)
    if match["q"]:
        q = int(match["q"])
        return Period(year, PeriodKind.QUARTER, 3 * q - 2, 3 * q)
    if match["s"]:
        s = int(match["s"])
        return Period(year, PeriodKind.SEMESTER, 6 * s - 5, 6 * s)
    return Period(year, PeriodKind.ANNUAL, 1, 12)


def periods_of_year(year: int, granularity: str) -> list[Period]:
    """The periodic evaluations of `year` (covering 1 Jan to 31 Dec, never overlapping),
    then the annual one."""
    step = {Granularity.MONTHLY: 1, Granularity.QUARTERLY: 3, Granularity.SEMESTER: 6}[granularity]
    kind = GRANULARITY_KIND[granularity]
    periods = [Period(year, kind, m, m + step - 1) for m in range(1, 13, step)]
    return [*periods, Period(year, PeriodKind.ANNUAL, 1, 12)]


# --- capaian (DOMAIN.md 2.3) -----------------------------------------------------------------


def round_half_up(value: Decimal) -> Decimal:
    return value.quantize(CENT, rounding=ROUND_HALF_UP)


def capaian_raw(*, realisasi: Decimal | None, target: Decimal) -> Decimal:
    """realisasi / target x 100, uncapped and unrounded (kept for other allowance rules);
    0 when the target is 0 or there is no realisasi."""
    if not target or realisasi is None:
        return Decimal(0)
    return Decimal(realisasi) / Decimal(target) * HUNDRED


def capaian_capped(*, realisasi: Decimal | None, target: Decimal) -> Decimal:
    """min(realisasi / target, 1) x 100, unrounded: means are taken of these, rounded once
    at the end (so 66.666.. and 100 average to 83.33, as DOMAIN.md 8 shows)."""
    return min(capaian_raw(realisasi=realisasi, target=target), HUNDRED)


def capaian(*, realisasi: Decimal | None, target: Decimal) -> Decimal:
    """The shown capaian: min(realisasi / target, 1) x 100, rounded half-up to 2 places."""
    return round_half_up(capaian_capped(realisasi=realisasi, target=target))


def mean(values) -> Decimal | None:
    """The mean rounded half-up to 2 places; None (shown "–") for no values."""
    values = list(values)
    if not values:
        return None
    return round_half_up(sum(values, Decimal(0)) / len(values))


# --- ratings and the predikat matrix (DOMAIN.md 2.6, 2.7) -------------------------------------


class Rating(models.IntegerChoices):
    """Rating hasil kerja and rating perilaku kerja, SIASN codes."""

    DI_ATAS = 1, _("Above expectation")
    SESUAI = 2, _("Meets expectation")
    DI_BAWAH = 3, _("Below expectation")


class Predikat(models.IntegerChoices):
    """Predikat kinerja, SIASN `kuadranKinerjaNilai` codes."""

    SANGAT_BAIK = 1, _("Sangat Baik")
    BAIK = 2, _("Baik")
    BUTUH_PERBAIKAN = 3, _("Butuh Perbaikan")
    KURANG = 4, _("Kurang/Misconduct")
    SANGAT_KURANG = 5, _("Sangat Kurang")


# (hasil kerja, perilaku) -> predikat: the exact matrix, all nine cells.
PREDIKAT_MATRIX = {
    (Rating.DI_ATAS, Rating.DI_ATAS): Predikat.SANGAT_BAIK,
    (Rating.DI_ATAS, Rating.SESUAI): Predikat.BAIK,
    (Rating.DI_ATAS, Rating.DI_BAWAH): Predikat.KURANG,
    (Rating.SESUAI, Rating.DI_ATAS): Predikat.BAIK,
    (Rating.SESUAI, Rating.SESUAI): Predikat.BAIK,
    (Rating.SESUAI, Rating.DI_BAWAH): Predikat.KURANG,
    (Rating.DI_BAWAH, Rating.DI_ATAS): Predikat.BUTUH_PERBAIKAN,
    (Rating.DI_BAWAH, Rating.SESUAI): Predikat.BUTUH_PERBAIKAN,
    (Rating.DI_BAWAH, Rating.DI_BAWAH): Predikat.SANGAT_KURANG,
}


def predikat_for(*, hasil_kerja: int, perilaku: int) -> Predikat:
    return PREDIKAT_MATRIX[(Rating(hasil_kerja), Rating(perilaku))]


# --- organisation grade and the distribution checks (DOMAIN.md 3) -----------------------------


class OrganisationGrade(models.TextChoices):
    ISTIMEWA = "istimewa", _("Istimewa")
    BAIK = "baik", _("Baik")
    BUTUH_PERBAIKAN = "butuh_perbaikan", _("Butuh Perbaikan")
    KURANG = "kurang", _("Kurang")
    SANGAT_KURANG = "sangat_kurang", _("Sangat Kurang")


# The unit leader's rating hasil kerja follows the organisation grade (INF mapping, 2.6).
GRADE_RATING = {
    OrganisationGrade.ISTIMEWA: Rating.DI_ATAS,
    OrganisationGrade.BAIK: Rating.SESUAI,
    OrganisationGrade.BUTUH_PERBAIKAN: Rating.DI_BAWAH,
    OrganisationGrade.KURANG: Rating.DI_BAWAH,
    OrganisationGrade.SANGAT_KURANG: Rating.DI_BAWAH,
}


@dataclass(frozen=True)
class Check:
    rule: str
    ok: bool
    hard: bool = True


def _at_most(p: float, n: int) -> int:
    return math.floor(p * n + 1e-9)


def _at_least(p: float, n: int) -> int:
    return math.ceil(p * n - 1e-9)


def distribution_checks(*, grade: str, counts: dict[int, int]) -> list[Check]:
    """The checks of DOMAIN.md 3.3 for `counts` (predikat code -> number of employees,
    the unit leader excluded). Maxima floor(p*n), minima ceil(p*n); soft checks warn."""
    n = sum(counts.values())
    c = {p: counts.get(p, 0) for p in Predikat}
    sb, b, bp, k, sk = (c[p] for p in Predikat)
    P = Predikat
    if grade == OrganisationGrade.ISTIMEWA:
        checks = [Check(f"SB <= {_at_most(0.7, n)} (70%)", sb <= _at_most(0.7, n))]
        soft = (P.SANGAT_BAIK, "SB")
    elif grade == OrganisationGrade.BAIK:
        checks = [
            Check(f"B <= {_at_most(0.7, n)} (70%)", b <= _at_most(0.7, n)),
            Check("BP + K >= 1", bp + k >= 1),
        ]
        soft = (P.BAIK, "B")
    elif grade == OrganisationGrade.BUTUH_PERBAIKAN:
        checks = [
            Check(f"BP >= {_at_least(0.6, n)} (60%)", bp >= _at_least(0.6, n)),
            Check(f"SB <= {_at_most(0.1, n)} (10%)", sb <= _at_most(0.1, n)),
        ]
        soft = None
    elif grade == OrganisationGrade.KURANG:
        checks = [
            Check(f"K >= {_at_least(0.6, n)} (60%)", k >= _at_least(0.6, n)),
            Check(f"BP >= {_at_least(0.1, n)} (10%)", bp >= _at_least(0.1, n)),
            Check(f"SB <= {_at_most(0.1, n)} (10%)", sb <= _at_most(0.1, n)),
        ]
        soft = None
    elif grade == OrganisationGrade.SANGAT_KURANG:
        checks = [
            Check(f"SK >= {_at_least(0.6, n)} (60%)", sk >= _at_least(0.6, n)),
            Check(f"K + BP >= {_at_least(0.1, n)} (10%)", k + bp >= _at_least(0.1, n)),
            Check("SB = 0", sb == 0),
        ]
        soft = None
    else:
        raise ValueError(f"unknown organisation grade {grade!r}")
    if soft is not None and n:
        code, short = soft
        others = max((v for p, v in c.items() if p != code), default=0)
        checks.append(Check(f"{short} is the most frequent", c[code] >= others, hard=False))
    return checks
