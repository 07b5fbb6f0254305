"""The dashboard as an Excel workbook (openpyxl): a sheet per figure, numbers as numbers."""

import io
from decimal import Decimal

from django.utils.translation import gettext as _
from openpyxl import Workbook
from openpyxl.styles import Font

from . import tables


def _cell(value):
    # Numbers stay numbers (so they can be summed); IKM is a Decimal with two places.
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, tables.Percent):
        return value.value / 100
    return value


def build(*, scope, period, figures, today) -> bytes:
    book = Workbook()
    book.remove(book.active)
    for table in tables.figure_tables(figures):
        sheet = book.create_sheet(table.key[:31])
        sheet.append([table.title])
        sheet["A1"].font = Font(bold=True, size=12)
        sheet.append([tables.scope_label(scope), tables.period_label(period)])
        if table.note:
            sheet.append([table.note])
        sheet.append([])
        sheet.append([str(h) for h in table.header])
        for cell in sheet[sheet.max_row]:
            cell.font = Font(bold=True)
        for row in table.rows:
            sheet.append([_cell(v) for v in row])
            for cell, value in zip(sheet[sheet.max_row], row, strict=False):
                if isinstance(value, tables.Percent):
                    cell.number_format = "0.0%"
        if not table.rows and table.empty:
            sheet.append([table.empty])
        sheet.column_dimensions["A"].width = 48
        for letter in "BCDEF":
            sheet.column_dimensions[letter].width = 16
    book.properties.title = f"{_('Service performance report')}: {scope.office.name}"
    out = io.BytesIO()
    book.save(out)
    return out.getvalue()
