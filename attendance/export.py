"""The monthly recap as an Excel workbook (openpyxl): counts per employee, and the
day-by-day matrix."""

import io

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Alignment, Font, PatternFill

CODES = {
    "present": "H",
    "late": "T",
    "early": "PC",
    "absent": "A",
    "leave": "C",
    "flagged": "?",
    "off": "L",
}
FILLS = {
    "absent": "FDECEB",
    "late": "FFF4DF",
    "early": "FFF4DF",
    "leave": "E3EEF9",
    "flagged": "FFE08A",
    "off": "E6ECE8",
}


def recap_workbook(*, unit, year: int, month: int, months) -> bytes:
    book = Workbook()
    sheet = book.active
    sheet.title = _("Recap")
    sheet.append([f"{unit.name} ({unit.office.name})"])
    sheet.append([_("Month"), f"{year}-{month:02d}"])
    sheet.append([])
    header = [
        _("Name"),
        "NIP",
        _("Present"),
        _("Late"),
        _("Left early"),
        _("Absent"),
        _("Leave"),
        _("Flagged"),
        _("Working days"),
    ]
    sheet.append(header)
    for cell in sheet[4]:
        cell.font = Font(bold=True)
    for em in months:
        c = em.counts
        sheet.append(
            [
                em.employee.name,
                em.employee.nip,
                c["present"],
                c["late"],
                c["early"],
                c["absent"],
                c["leave"],
                c["flagged"],
                c["working_days"],
            ]
        )
    sheet.column_dimensions["A"].width = 32
    sheet.column_dimensions["B"].width = 21

    days = book.create_sheet(_("Daily"))
    days.append([_("Name"), "NIP"] + [d.date.day for d in (months[0].days if months else [])])
    for cell in days[1]:
        cell.font = Font(bold=True)
    for em in months:
        days.append(
            [em.employee.name, em.employee.nip] + [CODES.get(d.status, "") for d in em.days]
        )
        for cell, d in zip(days[days.max_row][2:], em.days, strict=True):
            cell.alignment = Alignment(horizontal="center")
            if d.status in FILLS:
                cell.fill = PatternFill("solid", fgColor=FILLS[d.status])
    days.append([])
    days.append([_("H present, T late, PC left early, A absent, C leave, ? flagged, L day off")])
    days.column_dimensions["A"].width = 32
    days.column_dimensions["B"].width = 21
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
