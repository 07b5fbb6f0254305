"""The Indeks Kepuasan Masyarakat, exactly as PermenPANRB 14/2017 (DOMAIN.md section 9).

NRR per element = sum of its scores / number of respondents; IKM = mean of the nine NRR
(each weighted 1/9) x 25. Full precision throughout; only the final IKM is rounded (two
decimals, half up), and the band is read from the rounded IKM on the 25-100 scale.
"""

from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal

# (lowest IKM of the band, mutu, kinerja unit), highest first: the NIK column. The kinerja
# labels are the regulation's own terms, kept in Bahasa Indonesia in every language.
BANDS = (
    (Decimal("88.31"), "A", "Sangat baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang baik"),
    (Decimal("25.00"), "D", "Tidak baik"),
)
TWO_PLACES = Decimal("0.01")


@dataclass(frozen=True)
class Band:
    mutu: str
    kinerja: str


def ikm_of(nrr) -> Decimal:
    """IKM (25-100, two decimals) from the nine NRR values."""
    values = [Decimal(str(v)) if not isinstance(v, Decimal) else v for v in nrr]
    if len(values) != 9:
        raise ValueError("the IKM needs the NRR of all nine elements")
    raw = sum(values) / Decimal(9)
    return (raw * 25).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)


def band_of(ikm: Decimal) -> Band:
    ikm = Decimal(ikm).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    for lowest, mutu, kinerja in BANDS:
        if ikm >= lowest:
            return Band(mutu=mutu, kinerja=kinerja)
    return Band(mutu="D", kinerja=BANDS[-1][2])


def nrr_of(total: int, respondents: int) -> Decimal:
    return Decimal(total) / Decimal(respondents)
