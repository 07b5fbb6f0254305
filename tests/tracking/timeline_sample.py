"""A timeline with every branch of its HTML: the three step states, history entries with
and without a step and a note, text that must be escaped, times across midnight (WIB)."""

import datetime

from tracking.selectors import PublicStatus

UTC = datetime.UTC


def sample() -> PublicStatus:
    at = datetime.datetime(2026, 3, 9, 16, 58, 7, 123456, tzinfo=UTC)  # 23.58 WIB
    return PublicStatus(
        registration_number="KJB-2026-00042-7",
        service={"code": "legalisir", "name": "Legalisir Ijazah"},
        status="in_progress",
        status_label="Diproses",
        current_step={"order": 2, "name": "Verifikasi <berkas> & \"tanda\" 'tangan'"},
        steps=[
            {"order": 1, "name": "Penerimaan", "state": "done"},
            {"order": 2, "name": "Verifikasi <berkas> & \"tanda\" 'tangan'", "state": "current"},
            {"order": 3, "name": "Penandatanganan", "state": "pending"},
        ],
        history=[
            {
                "at": at,
                "status": "submitted",
                "status_label": "Diterima",
                "step": None,
                "note": None,
            },
            {
                "at": at + datetime.timedelta(minutes=3),
                "status": "in_progress",
                "status_label": "Diproses",
                "step": {"order": 1, "name": "Penerimaan"},
                "note": "Berkas <b>lengkap</b> & benar",
            },
            {
                "at": at + datetime.timedelta(days=1, hours=5),
                "status": "in_progress",
                "status_label": "Diproses",
                "step": {"order": 2, "name": "Verifikasi <berkas> & \"tanda\" 'tangan'"},
                "note": "",
            },
        ],
        submitted_at=at,
        due_date=datetime.date(2026, 3, 12),
        completed_at=None,
    )
