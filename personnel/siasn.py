"""Reading BKN's SIASN data: the "Export Data ASN" CSV and `pns/data-utama` JSON records
(DOMAIN.md 7.3, 7.4), streamed one row at a time, into one normalised shape.

Only what reconciliation compares is kept (UU 27/2022, data minimisation): no NIK, phone,
e-mail, address, NPWP, BPJS, religion or marital status is read from the file.
"""

import codecs
import csv
import datetime
import hashlib
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass, fields

import ijson
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from organization.models import Golongan, PositionKind
from organization.nip import parse_nip

# Our field -> (CSV header of "Export Data ASN", pns/data-utama JSON key).
COLUMNS = {
    "pns_id": ("PNS ID", "id"),
    "nip": ("NIP BARU", "nipBaru"),
    "nip_lama": ("NIP LAMA", "nipLama"),
    "nama": ("NAMA", "nama"),
    "gelar_depan": ("GELAR DEPAN", "gelarDepan"),
    "gelar_belakang": ("GELAR BELAKANG", "gelarBelakang"),
    "tanggal_lahir": ("TANGGAL LAHIR", "tglLahir"),
    "jenis_kelamin": ("JENIS KELAMIN", "jenisKelamin"),
    "kedudukan_id": ("KEDUDUKAN HUKUM ID", "kedudukanPnsId"),
    "kedudukan_nama": ("KEDUDUKAN HUKUM NAMA", "kedudukanPnsNama"),
    "golongan_id": ("GOL AKHIR ID", "golRuangAkhirId"),
    "golongan_nama": ("GOL AKHIR NAMA", "golRuangAkhir"),
    "tmt_golongan": ("TMT GOLONGAN", "tmtGolAkhir"),
    "jenis_jabatan_id": ("JENIS JABATAN ID", "jenisJabatanId"),
    "jabatan_nama": ("JABATAN NAMA", "jabatanNama"),
    "eselon_id": (None, "eselonId"),  # the CSV export has no eselon column
    "tmt_jabatan": ("TMT JABATAN", "tmtJabatan"),
    "unor_id": ("UNOR ID", "unorId"),
    "unor_nama": ("UNOR NAMA", "unorNama"),
    "instansi_kerja_nama": ("INSTANSI KERJA NAMA", "instansiKerjaNama"),
    "satuan_kerja_nama": ("SATUAN KERJA KERJA NAMA", "satuanKerjaKerjaNama"),
}
DATE_FIELDS = ("tanggal_lahir", "tmt_golongan", "tmt_jabatan")
REQUIRED_HEADERS = ("NIP BARU", "NAMA")
MAX_TEXT = 300


class ImportFileError(Exception):
    """The file as a whole cannot be read (wrong format, missing headers): nothing imported."""


class RowError(Exception):
    """One row cannot be read; the others go on."""


@dataclass(frozen=True)
class BknRow:
    pns_id: str = ""
    nip: str = ""
    nip_lama: str = ""
    nama: str = ""
    gelar_depan: str = ""
    gelar_belakang: str = ""
    tanggal_lahir: datetime.date | None = None
    jenis_kelamin: str = ""  # "M" | "F" | ""
    kedudukan_id: str = ""
    kedudukan_nama: str = ""
    golongan_id: str = ""
    golongan_nama: str = ""
    tmt_golongan: datetime.date | None = None
    jenis_jabatan_id: str = ""
    jabatan_nama: str = ""
    eselon_id: str = ""
    tmt_jabatan: datetime.date | None = None
    unor_id: str = ""
    unor_nama: str = ""
    instansi_kerja_nama: str = ""
    satuan_kerja_nama: str = ""

    @property
    def nip_valid(self) -> bool:
        try:
            parse_nip(self.nip)
        except ValidationError:
            return False
        return True

    def fingerprint(self) -> str:
        """What identifies this row's content: unchanged fingerprint, nothing to write."""
        data = "\x1f".join(str(getattr(self, f) or "") for f in FIELDS)
        return hashlib.sha256(data.encode()).hexdigest()


FIELDS = [f.name for f in fields(BknRow)]


def parse_date(value: str, *, label: str) -> datetime.date | None:
    """SIASN writes dd-mm-yyyy; its API and spreadsheets also give yyyy-mm-dd or dd/mm/yyyy."""
    value = (value or "").strip()
    if not value:
        return None
    value = value[:10] if "T" in value else value
    for fmt in ("%d-%m-%Y", "%Y-%m-%d", "%d/%m/%Y"):
        try:
            return datetime.datetime.strptime(value, fmt).date()
        except ValueError:
            continue
    raise RowError(
        _("%(label)s: %(value)s is not a date (dd-mm-yyyy).") % {"label": label, "value": value}
    )


def _gender(value: str) -> str:
    v = (value or "").strip().upper()
    if v in ("M", "L", "1", "PRIA", "LAKI-LAKI"):
        return "M"
    if v in ("F", "P", "2", "WANITA", "PEREMPUAN"):
        return "F"
    return ""


def _text(value) -> str:
    if value is None:
        return ""
    return " ".join(str(value).split())[:MAX_TEXT]


def row_from_mapping(get, *, label_of) -> BknRow:
    """Build a BknRow from a getter `get(field) -> raw value`; `label_of(field)` names the
    column in error messages."""
    values = {}
    for field in COLUMNS:
        raw = get(field)
        if field in DATE_FIELDS:
            values[field] = parse_date(_text(raw), label=label_of(field))
        elif field == "jenis_kelamin":
            values[field] = _gender(_text(raw))
        elif field == "nip":
            values[field] = _text(raw).replace(" ", "")[:32]
        else:
            values[field] = _text(raw)
    if not values["nip"]:
        raise RowError(_("%(label)s is empty.") % {"label": label_of("nip")})
    if values["kedudukan_id"].isdigit() and len(values["kedudukan_id"]) == 1:
        values["kedudukan_id"] = "0" + values["kedudukan_id"]
    return BknRow(**values)


def row_from_data_utama(record: dict) -> BknRow:
    """One `pns/data-utama` record (the API's `data` object) as a BknRow."""
    if not isinstance(record, dict):
        raise RowError(_("A record must be a JSON object."))
    return row_from_mapping(
        lambda field: record.get(COLUMNS[field][1]), label_of=lambda field: COLUMNS[field][1]
    )


class CountingReader(io.RawIOBase):
    """Wraps a binary file and counts the bytes read: the import's progress."""

    def __init__(self, raw):
        self.raw = raw
        self.bytes_read = 0

    def readable(self):
        return True

    def readinto(self, buffer):
        data = self.raw.read(len(buffer))
        n = len(data)
        buffer[:n] = data
        self.bytes_read += n
        return n


def sniff_format(head: bytes) -> str:
    """'json' for a JSON list (or one object), else 'csv'."""
    stripped = head.lstrip(codecs.BOM_UTF8).lstrip()
    return "json" if stripped[:1] in (b"[", b"{") else "csv"


def iter_csv(binary) -> Iterator[tuple[int, BknRow | RowError]]:
    """(line number, row or the error of that row), one at a time."""
    text = io.TextIOWrapper(binary, encoding="utf-8-sig", errors="strict", newline="")
    try:
        header_line = text.readline()
    except UnicodeDecodeError:
        raise ImportFileError(_("The file is not UTF-8 text.")) from None
    delimiter = ";" if header_line.count(";") > header_line.count(",") else ","
    headers = next(csv.reader([header_line], delimiter=delimiter), [])
    headers = [h.strip().upper() for h in headers]
    missing = [h for h in REQUIRED_HEADERS if h not in headers]
    if missing:
        raise ImportFileError(
            _("This is not a SIASN 'Export Data ASN' file: missing column(s) %(cols)s.")
            % {"cols": ", ".join(missing)}
        )
    reader = csv.reader(text, delimiter=delimiter)
    index = {h: i for i, h in enumerate(headers)}
    line = 1
    while True:
        try:
            cells = next(reader)
        except StopIteration:
            return
        except (UnicodeDecodeError, csv.Error) as error:
            raise ImportFileError(
                _("Line %(line)d cannot be read: %(error)s") % {"line": line + 1, "error": error}
            ) from None
        line = reader.line_num + 1  # the header was line 1
        if not any(c.strip() for c in cells):
            continue

        def get(field, cells=cells):
            header = COLUMNS[field][0]
            i = index.get(header) if header else None
            return cells[i] if i is not None and i < len(cells) else ""

        try:
            yield line, row_from_mapping(get, label_of=lambda f: COLUMNS[f][0] or f)
        except RowError as error:
            yield line, error


def iter_json(binary) -> Iterator[tuple[int, BknRow | RowError]]:
    """Records of a JSON list (streamed with ijson), or of one object (`{"data": {...}}`
    as the API answers, or a record itself)."""
    head = binary.peek(64) if hasattr(binary, "peek") else b""
    single = head.lstrip(codecs.BOM_UTF8).lstrip()[:1] == b"{"
    try:
        if single:
            document = json.load(io.TextIOWrapper(binary, encoding="utf-8-sig"))
            record = document.get("data", document) if isinstance(document, dict) else None
            records = iter([record])
        else:
            records = ijson.items(binary, "item", use_float=True)
        for number, record in enumerate(records, start=1):
            try:
                yield number, row_from_data_utama(record)
            except RowError as error:
                yield number, error
    except (ijson.JSONError, ValueError) as error:
        raise ImportFileError(_("The JSON cannot be read: %(error)s") % {"error": error}) from None


def iter_rows(binary) -> Iterator[tuple[int, BknRow | RowError]]:
    """The rows of a SIASN file, CSV or JSON, read as a stream."""
    buffered = binary if hasattr(binary, "peek") else io.BufferedReader(binary)
    kind = sniff_format(buffered.peek(64)[:64])
    return iter_json(buffered) if kind == "json" else iter_csv(buffered)


# --- reference codes (DOMAIN.md 7.5) -------------------------------------------------------

GOLONGAN_CODES = set(Golongan.values)


def position_kind_of(*, jenis_jabatan_id: str, eselon_id: str) -> str | None:
    """The ASN position class BKN's codes mean, as Alur's PositionKind (None: unknown)."""
    if jenis_jabatan_id == "2":
        return PositionKind.FUNGSIONAL
    if jenis_jabatan_id == "4":
        return PositionKind.PELAKSANA
    eselon = (eselon_id or "").strip()
    if eselon[:1] in ("1", "2") and len(eselon) == 2:
        return PositionKind.JPT
    if eselon[:1] == "3":
        return PositionKind.ADMINISTRATOR
    if eselon[:1] == "4":
        return PositionKind.PENGAWAS
    return None
