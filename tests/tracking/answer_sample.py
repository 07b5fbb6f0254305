"""Public answers covering every branch of the status summary and the answer around it:
each status, late or on schedule or no date, a current step or none, the office's note
with text that must be escaped."""

import dataclasses
import datetime

from .timeline_sample import sample

UTC = datetime.UTC
FUTURE, PAST = datetime.date(2099, 1, 1), datetime.date(2020, 1, 1)


def _returned(note):
    base = sample()
    entry = {**base.history[-1], "status": "needs_info", "status_label": "Perlu perbaikan"}
    entry["note"] = note
    return dataclasses.replace(
        base, status="needs_info", status_label="Perlu perbaikan", history=[*base.history, entry]
    )


def _closed(status, label, completed_at):
    return dataclasses.replace(
        sample(), status=status, status_label=label, completed_at=completed_at
    )


def variants() -> dict:
    base = sample()
    at = datetime.datetime(2026, 3, 12, 2, 0, tzinfo=UTC)
    return {
        "on_schedule": dataclasses.replace(
            base, due_date=FUTURE, service={"code": "x", "name": "Surat <\"A\"> & 'B'"}
        ),
        "late": dataclasses.replace(base, due_date=PAST),
        "no_date_no_step": dataclasses.replace(base, due_date=None, current_step=None),
        "returned_with_note": dataclasses.replace(
            _returned('Lengkapi <KTP> & "KK"'), due_date=PAST
        ),
        "returned_without_note": _returned(None),
        "completed_late": dataclasses.replace(
            _closed("completed", "Selesai", at + datetime.timedelta(days=3)), current_step=None
        ),
        "completed_on_time": _closed("completed", "Selesai", at),
        "rejected": _closed("rejected", "Ditolak", at),
        "cancelled": _closed("cancelled", "Dibatalkan", at),
    }
