"""The staff queue as a file: the filtered list of one tab, as Excel (openpyxl) or CSV.

The rows are exactly those the page lists (same selector, so the same units and the
same filters), every row, read in chunks. Only what the queue shows leaves: the
applicant's name but never the NIK, phone or form data (UU 27/2022: an export leaves the
system). A cell a spreadsheet would read as a formula is written as text.
"""

import csv
import io

from django.utils import timezone
from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell
from openpyxl.styles import Font

from .models import Channel
from .selectors import task_is_overdue

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _header() -> list[str]:
    return [
        _("Registration number"),
        _("Service"),
        _("Step"),
        _("Unit"),
        _("Applicant"),
        _("Channel"),
        _("Task opened"),
        _("Due"),
        _("Overdue"),
        _("Assigned to"),
    ]


def _text(value) -> str:
    value = str(value)
    return "'" + value if value.startswith(_FORMULA_START) else value


def _rows(tasks):
    channels = dict(Channel.choices)
    today = timezone.localdate()
    for task in tasks.iterator(chunk_size=1000):
        req = task.request
        yield [
            req.registration_number,
            _text(req.service.name),
            _text(f"{task.step.order}. {task.step.name}"),
            _text(task.unit.name),
            _text(req.applicant_name),
            str(channels.get(req.channel, req.channel)),
            timezone.localtime(task.created_at).strftime("%Y-%m-%d %H:%M"),
            task.due_date.isoformat(),
            _("yes") if task_is_overdue(task, today) else _("no"),
            task.assigned_to.get_username() if task.assigned_to_id else "",
        ]


def queue_csv(tasks) -> str:
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(_header())
    writer.writerows(_rows(tasks))
    return "\ufeff" + out.getvalue()  # the BOM makes Excel read it as UTF-8


def queue_xlsx(tasks, *, title: str) -> bytes:
    wb = Workbook(write_only=True)
    ws = wb.create_sheet(title=_text(title)[:31] or "Alur")
    header = []
    for label in _header():
        cell = WriteOnlyCell(ws, value=label)
        cell.font = Font(bold=True)
        header.append(cell)
    ws.append(header)
    for row in _rows(tasks):
        ws.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()
