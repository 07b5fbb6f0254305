"""What the messages say: rendering the default texts (`default_texts`) or an override.

Texts are Django template strings rendered without HTML escaping (WhatsApp is plain
text). An office may override any of them per service type in the admin
(`MessageTemplate`); a broken override never stops a transition: the default is used.
"""

import functools
import logging
import re

from django.conf import settings
from django.db import transaction
from django.template import Context, Engine, TemplateSyntaxError
from django.utils import formats, translation
from django.utils.translation import gettext as _

from config.links import absolute_url
from core.process_copy import ProcessCopy, bump
from workflow.links import request_access_url, request_status_url

from .default_texts import (  # noqa: F401 - re-exported: callers read them as texts.X
    DEFAULT_TEXTS,
    HELP_TEXT,
    NOTICE_TEXTS,
    SKP_TEXTS,
    STATUS_LABELS,
)

logger = logging.getLogger(__name__)

_engine = Engine(autoescape=False)


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


# The offices' templates, read on every message, change rarely: this process keeps them
# (core.process_copy) under a version that every template save bumps once it commits.
TEMPLATES_VERSION_KEY = "notifications:templates:version"
TEMPLATES_COPY_SECONDS = 300
_templates = ProcessCopy(TEMPLATES_VERSION_KEY, max_age=TEMPLATES_COPY_SECONDS)


def _active_templates() -> dict:
    """(kind, service id or None, language) -> (text, content_sid) of every active
    template, None for an unusable one (logged): one query, each text checked once."""
    from notifications.models import MessageTemplate

    found = {}
    for t in MessageTemplate.objects.filter(is_active=True).only(
        "kind", "service_id", "language", "body", "content_sid"
    ):
        usable = not check_template(t.body)
        if not usable:
            logger.warning("message template %s is unusable; using the default", t.pk)
        found[(t.kind, t.service_id, t.language)] = (t.body, t.content_sid) if usable else None
    return found


def template_text(*, kind: str, language: str, service=None):
    """(text, content_sid) for a kind of message: the service's own template, else the
    office-wide one, else the default."""
    templates = _templates.get("active", _active_templates)
    for service_id in (getattr(service, "pk", None), None):
        template = templates.get((kind, service_id, language))
        if template:
            return template
    return DEFAULT_TEXTS[language][kind], configured_content_sid(kind)


def templates_changed(**kwargs) -> None:
    """Receiver of every save and delete of a MessageTemplate."""
    _templates.clear()
    transaction.on_commit(lambda: bump(TEMPLATES_VERSION_KEY))


def configured_content_sid(kind: str) -> str:
    return (getattr(settings, "TWILIO_CONTENT_SIDS", None) or {}).get(kind, "")


@functools.lru_cache(maxsize=512)
def _compiled(text: str):
    """A text compiled once per process: compiling cost more than rendering (profiled)."""
    return _engine.from_string(text)


def render(text: str, context: dict) -> str:
    body = _compiled(text).render(Context(context, autoescape=False))
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
