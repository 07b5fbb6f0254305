"""Exports: the unit's Laporan Predikat Kinerja and the allowance figures as Excel
(openpyxl), and the annual results in SIASN's `rw-skp22` field names (DOMAIN.md 2.8).

Locked months are read from their snapshot, so a payment file is reproducible."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font, PatternFill

from organization.models import Office

from .models import Skp, SkpStatus
from .models_evaluation import Evaluation, EvaluationStatus
from .models_lock import CapaianSnapshot, PeriodLock
from .rules import Predikat
from .selectors_realisation import capaian_pegawai

BOLD = Font(bold=True)
HEAD = PatternFill("solid", fgColor="E6ECE8")
FAIL = Font(bold=True, color="B00020")


def _header(ws, row: list[str]) -> None:
    ws.append(row)
    for cell in ws[ws.max_row]:
        cell.font, cell.fill = BOLD, HEAD


def _bytes(wb: Workbook) -> bytes:
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


def predikat_report_xlsx(report) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Predikat report")[:31]
    ws.append([_("Laporan Predikat Kinerja")])
    ws["A1"].font = Font(bold=True, size=13)
    ws.append([_("Unit"), f"{report.unit.name} ({report.unit.office.code})"])
    ws.append([_("Period"), report.period.label])
    ws.append([_("Organisation grade"), report.grade.get_grade_display() if report.grade else "–"])
    ws.append([_("Employees with a predikat (n)"), report.n])
    ws.append([])
    _header(ws, [_("Predikat"), _("Count"), "%"])
    for p in Predikat:
        count = report.counts.get(p.value, 0)
        ws.append([str(p.label), count, round(100 * count / report.n, 2) if report.n else 0])
    ws.append([])
    _header(ws, [_("Rule"), _("Result"), _("Kind")])
    for check in report.checks:
        ws.append(
            [
                check.rule,
                _("pass") if check.ok else _("FAIL"),
                _("hard") if check.hard else _("warning"),
            ]
        )
        if not check.ok:
            ws.cell(ws.max_row, 2).font = FAIL
    ws.append([_("Overall"), _("pass") if report.ok else _("FAIL")])
    if report.finalisation and report.finalisation.override_reason:
        ws.append([_("Override reason"), report.finalisation.override_reason])
    ws.append([])
    _header(ws, [_("Name"), _("NIP"), _("Position"), _("Status"), _("Predikat")])
    for row in report.rows:
        ws.append(
            [
                row.skp.employee.name,
                row.skp.employee.nip,
                row.skp.position.name,
                row.evaluation.get_status_display() if row.evaluation else _("Open"),
                str(Predikat(row.predikat).label) if row.predikat else "–",
            ]
        )
    ws.column_dimensions["A"].width = 40
    ws.column_dimensions["C"].width = 40
    return _bytes(wb)


def allowance_rows(*, office: Office, year: int, month: int) -> list[dict]:
    """One row per approved SKP of the office: its capaian for `month` (from the lock's
    snapshot when the month is locked, else live) and the covering predikat."""
    lock = PeriodLock.objects.filter(
        office=office, year=year, month=month, status=PeriodLock.Status.LOCKED
    ).first()
    if lock is not None:
        return [
            {
                "name": s.employee_name,
                "nip": s.employee_nip,
                "position": s.position_name,
                "unit": s.unit_name,
                "capaian": s.capaian_pegawai,
                "is_head": s.is_head,
                "predikat": s.predikat,
                "locked": True,
                "payment_ref": lock.payment_ref,
            }
            for s in CapaianSnapshot.objects.filter(lock=lock).order_by(
                "unit_name", "employee_name"
            )
        ]
    rows = []
    for skp in Skp.objects.filter(
        year=year, status=SkpStatus.APPROVED, position__unit__office=office
    ).select_related("employee", "position__unit"):
        rows.append(
            {
                "name": skp.employee.name,
                "nip": skp.employee.nip,
                "position": skp.position.name,
                "unit": skp.position.unit.name,
                "capaian": capaian_pegawai(skp=skp, month=month),
                "is_head": skp.position.is_head,
                "predikat": None,
                "locked": False,
                "payment_ref": "",
            }
        )
    return sorted(rows, key=lambda r: (r["unit"], r["name"]))


def allowance_xlsx(*, office: Office, year: int, months: list[int]) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = _("Allowance")[:31]
    ws.append([_("Performance allowance figures"), office.name, year])
    ws["A1"].font = Font(bold=True, size=13)
    _header(
        ws,
        [
            _("Month"),
            _("Unit"),
            _("Name"),
            _("NIP"),
            _("Position"),
            _("Capaian (%)"),
            _("Head (mean of subordinates)"),
            _("Predikat"),
            _("Locked"),
            _("Payment reference"),
        ],
    )
    for month in months:
        for r in allowance_rows(office=office, year=year, month=month):
            ws.append(
                [
                    f"{year}-{month:02d}",
                    r["unit"],
                    r["name"],
                    r["nip"],
                    r["position"],
                    float(r["capaian"]) if r["capaian"] is not None else "–",
                    _("yes") if r["is_head"] else "",
                    str(Predikat(r["predikat"]).label) if r["predikat"] else "",
                    _("yes") if r["locked"] else _("no"),
                    r["payment_ref"],
                ]
            )
    for col, w in zip("ABCDEFGHIJ", [9, 32, 34, 20, 36, 12, 12, 18, 8, 18], strict=True):
        ws.column_dimensions[col].width = w
    return _bytes(wb)


def siasn_skp22(*, office: Office, year: int) -> list[dict]:
    """The office's rated annual results shaped as SIASN `rw-skp22` records. Alur keeps
    no SIASN PNS id: `pnsDinilaiOrang` carries the NIP, as the README says."""
    evaluations = Evaluation.objects.filter(
        period=str(year),
        status__in=[EvaluationStatus.RATED, EvaluationStatus.LOCKED],
        skp__position__unit__office=office,
    ).select_related("skp__employee", "penilai")
    out = []
    for e in evaluations:
        out.append(
            {
                "tahun": year,
                "hasilKinerjaNilai": e.rating_hasil_kerja,
                "perilakuKerjaNilai": e.rating_perilaku,
                "kuadranKinerjaNilai": e.predikat,
                "penilaiNama": e.penilai_name,
                "penilaiNipNrp": e.penilai_nip,
                "penilaiGolongan": e.penilai.get_golongan_display() if e.penilai else "",
                "penilaiJabatan": e.penilai_position_name,
                "penilaiUnorNama": e.penilai_unit_name,
                "statusPenilai": "ASN",
                "pnsDinilaiOrang": e.skp.employee_nip or e.skp.employee.nip,
                "path": [],
            }
        )
    return out
