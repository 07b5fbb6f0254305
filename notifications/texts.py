"""What the messages say: default texts (Bahasa Indonesia first, English) and rendering.

Texts are Django template strings rendered without HTML escaping (WhatsApp is plain
text). An office may override any of them per service type in the admin
(`MessageTemplate`); a broken override never stops a transition: the default is used.
"""

import logging
import re

from django.conf import settings
from django.template import Context, Engine, TemplateSyntaxError
from django.utils import formats, translation
from django.utils.translation import gettext as _

from config.links import absolute_url
from workflow.links import request_access_url, request_status_url

logger = logging.getLogger(__name__)

_engine = Engine(autoescape=False)

STATUS_LABELS = {
    "id": {
        "submitted": "Diterima",
        "in_progress": "Diproses",
        "needs_info": "Perlu perbaikan",
        "completed": "Selesai",
        "rejected": "Ditolak",
        "cancelled": "Dibatalkan",
    },
    "en": {
        "submitted": "Received",
        "in_progress": "In progress",
        "needs_info": "Needs correction",
        "completed": "Completed",
        "rejected": "Rejected",
        "cancelled": "Cancelled",
    },
}

DEFAULT_TEXTS = {
    "id": {
        "submitted": (
            "Permohonan {{ service }} Anda telah kami terima.\n"
            "Nomor registrasi: *{{ number }}*\n"
            "Perkiraan selesai: {{ due_date }}.\n"
            "Pantau status: {{ tracking_url }}\n"
            "Simpan nomor ini. Ketik CEK {{ number }} untuk menanyakan status."
        ),
        "step_started": (
            "Permohonan {{ number }} ({{ service }}) sedang diproses pada tahap: {{ step }}.\n"
            "Pantau status: {{ tracking_url }}"
        ),
        "returned": (
            "Permohonan {{ number }} ({{ service }}) perlu perbaikan.\n"
            "Catatan petugas: {{ note }}\n"
            "Perbaiki di sini: {{ applicant_url }}"
        ),
        "resubmitted": (
            "Perbaikan permohonan {{ number }} ({{ service }}) telah kami terima dan "
            "diproses kembali pada tahap: {{ step }}.\n"
            "Pantau status: {{ tracking_url }}"
        ),
        "completed": (
            "Permohonan {{ number }} ({{ service }}) telah selesai.\n"
            "{% if product_is_digital %}Unduh {{ product }} di: {{ applicant_url }}"
            "{% else %}{{ product }} dapat diambil di loket PTSP {{ office }} dengan "
            "menunjukkan nomor registrasi ini.{% endif %}\n"
            "Mohon isi survei kepuasan (1 menit): {{ survey_url }}\n"
            "Pengaduan: {{ complaint_url }}\n"
            "Terima kasih."
        ),
        "rejected": (
            "Mohon maaf, permohonan {{ number }} ({{ service }}) ditolak.\n"
            "Alasan: {{ note }}\n"
            "Rincian: {{ tracking_url }}"
        ),
        "cancelled": (
            "Permohonan {{ number }} ({{ service }}) telah dibatalkan.\nRincian: {{ tracking_url }}"
        ),
        "closed_unanswered": (
            "Permohonan {{ number }} ({{ service }}) ditutup karena perbaikan yang diminta "
            "tidak kami terima sampai batas waktunya.\n{{ note }}\n"
            "Silakan ajukan permohonan baru bila masih diperlukan. Rincian: {{ tracking_url }}"
        ),
        "overdue": (
            "Pengingat: tugas {{ step }} untuk permohonan {{ number }} ({{ service }}) "
            "melewati batas waktu ({{ due_date }})."
        ),
    },
    "en": {
        "submitted": (
            "We have received your {{ service }} request.\n"
            "Registration number: *{{ number }}*\n"
            "Expected completion: {{ due_date }}.\n"
            "Track it: {{ tracking_url }}\n"
            "Keep this number. Send CEK {{ number }} to ask for its status."
        ),
        "step_started": (
            "Request {{ number }} ({{ service }}) is now at the step: {{ step }}.\n"
            "Track it: {{ tracking_url }}"
        ),
        "returned": (
            "Request {{ number }} ({{ service }}) needs a correction.\n"
            "Note from the office: {{ note }}\n"
            "Fix it here: {{ applicant_url }}"
        ),
        "resubmitted": (
            "We have received the correction of request {{ number }} ({{ service }}); it is "
            "being processed again at the step: {{ step }}.\n"
            "Track it: {{ tracking_url }}"
        ),
        "completed": (
            "Request {{ number }} ({{ service }}) is complete.\n"
            "{% if product_is_digital %}Download the {{ product }} at: {{ applicant_url }}"
            "{% else %}Collect the {{ product }} at the PTSP counter of {{ office }}, showing "
            "this registration number.{% endif %}\n"
            "Please take the satisfaction survey (1 minute): {{ survey_url }}\n"
            "Complaints: {{ complaint_url }}\n"
            "Thank you."
        ),
        "rejected": (
            "We are sorry: request {{ number }} ({{ service }}) was rejected.\n"
            "Reason: {{ note }}\n"
            "Details: {{ tracking_url }}"
        ),
        "cancelled": (
            "Request {{ number }} ({{ service }}) has been cancelled.\nDetails: {{ tracking_url }}"
        ),
        "closed_unanswered": (
            "Request {{ number }} ({{ service }}) was closed: the correction we asked for did "
            "not reach us in time.\n{{ note }}\n"
            "Please apply again if you still need it. Details: {{ tracking_url }}"
        ),
        "overdue": (
            "Reminder: the {{ step }} task of request {{ number }} ({{ service }}) is past its "
            "due date ({{ due_date }})."
        ),
    },
}

# Complaint answers (feedback app): default texts only. `number` is the tracking code.
NOTICE_TEXTS = {
    "id": {
        "complaint_answered": (
            "Pengaduan Anda {{ number }} kepada {{ office }} telah ditanggapi.\n"
            "Baca tanggapannya: {{ url }}"
        ),
    },
    "en": {
        "complaint_answered": (
            "Your complaint {{ number }} to {{ office }} has been answered.\n"
            "Read the answer: {{ url }}"
        ),
    },
}

# SKP messages (to employees, not applicants): default texts only, no office override.
SKP_TEXTS = {
    "id": {
        "skp_submitted": (
            "SKP tahun {{ year }} atas nama {{ owner }} telah diajukan dan menunggu "
            "persetujuan Anda sebagai pejabat penilai.\n"
            "Tinjau di: {{ skp_url }}"
        ),
        "skp_returned": (
            "SKP tahun {{ year }} atas nama {{ owner }} dikembalikan untuk diperbaiki.\n"
            "Catatan pejabat penilai: {{ note }}\n"
            "Perbaiki di: {{ skp_url }}"
        ),
        "skp_approved": (
            "SKP tahun {{ year }} atas nama {{ owner }} telah disetujui.\n"
            "{% if note %}Catatan pejabat penilai: {{ note }}\n{% endif %}"
            "Lihat di: {{ skp_url }}"
        ),
        "skp_reopened": (
            "SKP tahun {{ year }} atas nama {{ owner }} dibuka kembali untuk direvisi.\n"
            "Catatan pejabat penilai: {{ note }}\n"
            "Revisi di: {{ skp_url }}"
        ),
        "skp_eval_submitted": (
            "Evaluasi kinerja {{ period }} (SKP {{ year }}) atas nama {{ owner }} "
            "telah diajukan dan menunggu "
            "penilaian Anda sebagai pejabat penilai.\n"
            "Nilai di: {{ skp_url }}"
        ),
        "skp_eval_returned": (
            "Evaluasi kinerja {{ period }} (SKP {{ year }}) atas nama {{ owner }} dikembalikan.\n"
            "Catatan pejabat penilai: {{ note }}\n"
            "Perbaiki di: {{ skp_url }}"
        ),
        "skp_eval_rated": (
            "Evaluasi kinerja {{ period }} (SKP {{ year }}) atas nama {{ owner }} "
            "telah dinilai: predikat "
            "{{ predikat }}.\n"
            "Lihat di: {{ skp_url }}"
        ),
        "skp_period_locked": (
            "Yth. {{ owner }}, periode {{ period }} (SKP {{ year }}) telah dikunci untuk "
            "pembayaran tunjangan"
            "{% if payment_ref %} ({{ payment_ref }}){% endif %}. Rencana aksi, realisasi "
            "dan penilaian bulan tersebut tidak dapat diubah lagi.\n"
            "Lihat di: {{ skp_url }}"
        ),
    },
    "en": {
        "skp_submitted": (
            "The {{ year }} SKP of {{ owner }} has been submitted and awaits your approval "
            "as pejabat penilai.\n"
            "Review it at: {{ skp_url }}"
        ),
        "skp_returned": (
            "The {{ year }} SKP of {{ owner }} was returned for revision.\n"
            "Note from the pejabat penilai: {{ note }}\n"
            "Revise it at: {{ skp_url }}"
        ),
        "skp_approved": (
            "The {{ year }} SKP of {{ owner }} has been approved.\n"
            "{% if note %}Note from the pejabat penilai: {{ note }}\n{% endif %}"
            "See it at: {{ skp_url }}"
        ),
        "skp_reopened": (
            "The {{ year }} SKP of {{ owner }} was reopened for revision.\n"
            "Note from the pejabat penilai: {{ note }}\n"
            "Revise it at: {{ skp_url }}"
        ),
        "skp_eval_submitted": (
            "The {{ period }} (SKP {{ year }}) performance evaluation of "
            "{{ owner }} has been submitted and "
            "awaits your rating as pejabat penilai.\n"
            "Rate it at: {{ skp_url }}"
        ),
        "skp_eval_returned": (
            "The {{ period }} (SKP {{ year }}) performance evaluation of "
            "{{ owner }} was returned.\n"
            "Note from the pejabat penilai: {{ note }}\n"
            "Fix it at: {{ skp_url }}"
        ),
        "skp_eval_rated": (
            "The {{ period }} (SKP {{ year }}) performance evaluation of "
            "{{ owner }} has been rated: predikat "
            "{{ predikat }}.\n"
            "See it at: {{ skp_url }}"
        ),
        "skp_period_locked": (
            "Dear {{ owner }}, the period {{ period }} (SKP {{ year }}) is locked for the "
            "allowance payment"
            "{% if payment_ref %} ({{ payment_ref }}){% endif %}. Its action plans, "
            "realisation and ratings can no longer change.\n"
            "See it at: {{ skp_url }}"
        ),
    },
}

HELP_TEXT = {
    "id": (
        "Alur - layanan Kementerian Agama.\n"
        "Untuk menanyakan status permohonan, kirim: CEK <nomor registrasi>\n"
        "Contoh: CEK KJB-2026-00042-7"
    ),
    "en": (
        "Alur - Ministry of Religious Affairs services.\n"
        "To ask for a request's status, send: STATUS <registration number>\n"
        "Example: STATUS KJB-2026-00042-7"
    ),
}


def language_for(request) -> str:
    lang = (getattr(request, "language", "") or settings.LANGUAGE_CODE or "id")[:2]
    return lang if lang in DEFAULT_TEXTS else "id"


def check_template(text: str) -> str | None:
    """Why an office's template text cannot be used, or None."""
    try:
        template = _engine.from_string(text)
    except TemplateSyntaxError as exc:
        return _("The text is not a valid template: %(error)s") % {"error": exc}
    if not re.search(r"{{\s*number\s*}}", text):
        return _("The text must contain {{ number }}: every message carries the number.")
    try:
        template.render(Context(_sample_context(), autoescape=False))
    except Exception as exc:  # noqa: BLE001 - any rendering error makes it unusable
        return _("The text cannot be rendered: %(error)s") % {"error": exc}
    return None


def _sample_context():
    return {
        "number": "KJB-2026-00042-7",
        "service": "Layanan",
        "step": "Verifikasi",
        "note": "",
        "due_date": "1 Januari 2026",
        "status": "Diterima",
        "tracking_url": "https://example.invalid/",
        "applicant_url": "https://example.invalid/",
        "office": "Kantor",
        "product": "Surat",
        "product_is_digital": False,
        "survey_url": "https://example.invalid/",
        "complaint_url": "https://example.invalid/",
    }


tracking_url = request_status_url
applicant_url = request_access_url


def survey_url(number: str, access_token: str) -> str:
    """The satisfaction survey (feedback app) for the applicant of a completed request."""
    return absolute_url(f"/survei/{number}/?token={access_token}")


def complaint_url(number: str) -> str:
    return absolute_url(f"/pengaduan/?nomor={number}")


def context_for(*, request, step=None, note: str = "", language: str) -> dict:
    service = request.service
    step = step or request.current_step
    with translation.override(language):
        due = formats.date_format(request.due_date, "j F Y") if request.due_date else ""
    office = getattr(request, "office", None)
    return {
        "number": request.registration_number,
        "service": service.name,
        "step": step.name if step else "",
        "note": note,
        "due_date": due,
        "status": STATUS_LABELS[language].get(request.status, request.status),
        "tracking_url": tracking_url(request.registration_number),
        "applicant_url": applicant_url(request.registration_number, request.access_token),
        "office": office.name if office else "",
        "product": service.product,
        "product_is_digital": service.product_is_digital,
        "survey_url": survey_url(request.registration_number, request.access_token),
        "complaint_url": complaint_url(request.registration_number),
    }


def skp_url(skp_id: int) -> str:
    return absolute_url(f"/staf/skp/{skp_id}/")


def skp_context(*, skp, note: str = "", **extra) -> dict:
    """`extra`: period, predikat, payment_ref for the evaluation and lock messages."""
    return {
        "owner": skp.employee.name,
        "year": skp.year,
        "note": note,
        "skp_url": skp_url(skp.pk),
        **extra,
    }


def skp_content_variables(context: dict) -> dict:
    """Variables for an approved SKP template (README): 1 link, 2 owner, 3 year, 4 note."""
    return {
        "1": context["skp_url"],
        "2": context["owner"],
        "3": str(context["year"]),
        "4": context["note"] or "-",
    }


def template_text(*, kind: str, language: str, service=None):
    """(text, content_sid) for a kind of message: the service's own template, else the
    office-wide one, else the default."""
    from notifications.models import MessageTemplate

    overrides = {
        (t.service_id, t.language): t
        for t in MessageTemplate.objects.filter(kind=kind, is_active=True, language=language)
        .filter(_service_q(service))
        .only("service_id", "language", "body", "content_sid")
    }
    for key in ((getattr(service, "pk", None), language), (None, language)):
        template = overrides.get(key)
        if template and not check_template(template.body):
            return template.body, template.content_sid
        if template:
            logger.warning("message template %s is unusable; using the default", template.pk)
    return DEFAULT_TEXTS[language][kind], configured_content_sid(kind)


def _service_q(service):
    from django.db.models import Q

    q = Q(service__isnull=True)
    if service is not None:
        q |= Q(service=service)
    return q


def configured_content_sid(kind: str) -> str:
    return (getattr(settings, "TWILIO_CONTENT_SIDS", None) or {}).get(kind, "")


def render(text: str, context: dict) -> str:
    body = _engine.from_string(text).render(Context(context, autoescape=False))
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    number = context.get("number", "")
    if number and number not in body:
        # An override may not drop the registration number: every message carries it.
        body = f"[{number}] {body}"
    return body


def content_variables(context: dict, *, kind: str) -> dict:
    """Variables for an approved template: fixed positions, documented in the README."""
    personal = kind == "returned" or (kind == "completed" and context["product_is_digital"])
    link = context["applicant_url"] if personal else context["tracking_url"]
    return {
        "1": context["number"],
        "2": context["service"],
        "3": context["step"] or "-",
        "4": context["note"] or "-",
        "5": link,
        "6": context["due_date"] or "-",
        **({"7": context["survey_url"]} if kind == "completed" else {}),
    }
