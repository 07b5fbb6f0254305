"""Business actions on the year's work: rencana aksi and realisasi (owner), bukti dukung
(owner), umpan balik (the pejabat penilai of the day). Keyword-only, the actor explicit,
one transaction each; every write into a locked month answers 409 (services_lock)."""

import uuid
from decimal import Decimal, InvalidOperation

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import URLValidator
from django.db import transaction
from django.db.models import Count, Q, QuerySet, Sum
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy as _lazy

from config.exceptions import ApplicationError, Conflict, Forbidden, PayloadTooLarge
from config.uploads import sha256_of, sniff_content_type

from .models import CoreValue, Rhk, Skp, SkpStatus
from .models_evaluation import EvaluationStatus
from .models_realisation import BuktiDukung, Realisasi, RealisationSource, RencanaAksi, UmpanBalik
from .rules import capaian_raw, period_parse
from .selectors import employee_for_user
from .selectors_realisation import realisation_from_daily_log
from .services_guards import lock_for_penilai, lock_skp
from .services_lock import month_guard

MAX_QUANTITY = Decimal("9999999999.99")
MAX_NOTE = 5000
EVIDENCE_TYPES = ("application/pdf", "image/jpeg", "image/png")


def _lock_for_owner(skp: Skp, user) -> Skp:
    employee = employee_for_user(user)
    skp = lock_skp(skp)
    if employee is None or skp.employee_id != employee.pk:
        raise Forbidden(_("Only the owner may record the work of this SKP."))
    if skp.status != SkpStatus.APPROVED:
        raise Conflict(_("Rencana aksi and realisation can only be recorded on an approved SKP."))
    return skp


def _open_for_owner(skp: Skp, month: int) -> None:
    """The month's data is the owner's only while no evaluation covering it is under way
    or done, and the month is not locked."""
    month_guard(skp=skp, months=[month])
    for evaluation in skp.evaluations.exclude(status=EvaluationStatus.OPEN):
        period = period_parse(evaluation.period)
        if period and month in period.months:
            raise Conflict(
                _(
                    "The evaluation %(period)s covering this month is %(status)s: its "
                    "rencana aksi and realisation can no longer change."
                )
                % {"period": evaluation.period, "status": evaluation.get_status_display()}
            )


def _quantity(value, path: str, errors: dict) -> Decimal | None:
    try:
        number = Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError, TypeError):
        errors[path] = [_("Enter a number.")]
        return None
    if not number.is_finite() or number < 0 or number > MAX_QUANTITY:
        errors[path] = [_("Enter a number from 0 to 9,999,999,999.99.")]
        return None
    if number != number.quantize(Decimal("0.01")):
        errors[path] = [_("At most two decimal places.")]
        return None
    return number


def _text(value, path: str, errors: dict, *, max_length: int, required=True) -> str:
    text = value.strip() if isinstance(value, str) else ""
    if value is not None and not isinstance(value, str):
        errors[path] = [_("Enter text.")]
    elif required and not text:
        errors[path] = [_("This field is required.")]
    elif len(text) > max_length:
        errors[path] = [_("At most %(n)d characters.") % {"n": max_length}]
    return text


def _clean_item(skp, month, i, item, rhks, existing, errors) -> dict | None:
    p = f"items[{i}]"
    if not isinstance(item, dict):
        errors[p] = [_("Each item must be an object.")]
        return None
    ra = None
    if item.get("id") is not None:
        ra = existing.get(item["id"]) if isinstance(item["id"], int) else None
        if ra is None:
            errors[f"{p}.id"] = [_("No rencana aksi with this id in this SKP and month.")]
    rhk = rhks.get(item.get("rhk")) if isinstance(item.get("rhk"), int) else None
    if rhk is None:
        errors[f"{p}.rhk"] = [_("Choose an RHK of this SKP.")]
    clean = {
        "ra": ra,
        "rhk": rhk,
        "text": _text(item.get("text"), f"{p}.text", errors, max_length=500),
        "target": _quantity(item.get("target"), f"{p}.target", errors),
        "unit": _text(item.get("unit"), f"{p}.unit", errors, max_length=100),
        "is_risk_control": bool(item.get("is_risk_control", ra.is_risk_control if ra else False)),
        "realisasi": "keep",
    }
    if "realisasi" in item:
        real = item["realisasi"]
        if real is None:
            clean["realisasi"] = None
        elif not isinstance(real, dict):
            errors[f"{p}.realisasi"] = [_('Give {"value", "note"} or null.')]
        else:
            indicator = None
            if real.get("indicator") is not None:
                indicator = (
                    next((x for x in rhk.indicators.all() if x.pk == real["indicator"]), None)
                    if rhk
                    else None
                )
                if indicator is None:
                    errors[f"{p}.realisasi.indicator"] = [_("Choose an indicator of the RHK.")]
            clean["realisasi"] = {
                "value": _quantity(real.get("value"), f"{p}.realisasi.value", errors),
                "note": _text(
                    real.get("note", ""),
                    f"{p}.realisasi.note",
                    errors,
                    max_length=MAX_NOTE,
                    required=False,
                ),
                "indicator": indicator,
            }
    return clean


@transaction.atomic
def rencana_aksi_put(*, skp: Skp, user, month, items) -> list[RencanaAksi]:
    """Create or change the month's rencana aksi and their realisasi (`items` with an
    `id` change that one, without create one). Items not named are left as they are
    (`rencana_aksi_delete` removes one). All or nothing: any bad item, no change."""
    skp = _lock_for_owner(skp, user)
    if not isinstance(month, int) or isinstance(month, bool) or not 1 <= month <= 12:
        raise ApplicationError(field_errors={"month": [_("Enter a month from 1 to 12.")]})
    if not isinstance(items, list):
        raise ApplicationError(field_errors={"items": [_("Give a list of items.")]})
    if len(items) > 200:
        raise ApplicationError(field_errors={"items": [_("At most 200 items at once.")]})
    _open_for_owner(skp, month)
    rhks = {r.pk: r for r in Rhk.objects.filter(skp=skp).prefetch_related("indicators")}
    existing = {
        ra.pk: ra
        for ra in RencanaAksi.objects.filter(skp=skp, month=month).select_related("realisasi")
    }
    errors: dict = {}
    cleaned = [
        _clean_item(skp, month, i, item, rhks, existing, errors) for i, item in enumerate(items)
    ]
    if not errors:
        seen = {(ra.rhk_id, ra.text.casefold()): ra.pk for ra in existing.values()}
        for i, c in enumerate(cleaned):
            key = (c["rhk"].pk, c["text"].casefold())
            if seen.get(key, c["ra"] and c["ra"].pk) != (c["ra"] and c["ra"].pk):
                errors[f"items[{i}].text"] = [
                    _("This RHK already has a rencana aksi with that text this month.")
                ]
            seen[key] = c["ra"].pk if c["ra"] else f"new{i}"
    if realisation_from_daily_log(skp):
        for i, c in enumerate(cleaned):
            if c["realisasi"] != "keep":
                errors[f"items[{i}].realisasi"] = [DAILY_LOG_ONLY]
    if errors:
        raise ApplicationError(field_errors=errors)
    saved = []
    for c in cleaned:
        ra = c["ra"] or RencanaAksi(skp=skp, month=month)
        ra.rhk, ra.text, ra.target, ra.unit = c["rhk"], c["text"], c["target"], c["unit"]
        ra.is_risk_control = c["is_risk_control"]
        ra.save()
        _realisasi_apply(ra, c["realisasi"], user)
        saved.append(ra)
    return saved


DAILY_LOG_ONLY = _lazy(
    "In this office the realisation is the sum of the daily log entries linked to the "
    "rencana aksi: write a daily log entry instead of typing it."
)


@transaction.atomic
def realisasi_from_daily_entries(*, rencana_aksi_id: int, entries: QuerySet, user) -> None:
    """The office setting "sum of the daily log": the month's realisasi of one rencana
    aksi is the sum of the quantities of the daily entries linked to it, and the entries
    carrying evidence count as its bukti dukung. Called by the daily log (which skp never
    imports) in the transaction of every write to a linked entry. `entries` is that
    app's lazy queryset of the linked entries, with `quantity` and an annotated boolean
    `has_evidence`: it is summed here in SQL after the rencana aksi's row is locked, so
    two entries saved at once both count. Nothing to do under manual entry; 409 when
    the month is locked or an evaluation covering it is under way."""
    # NO KEY UPDATE: the entry just inserted holds KEY SHARE on this row (its foreign
    # key); FOR UPDATE would deadlock two concurrent inserts, this only serialises them.
    ra = (
        RencanaAksi.objects.select_for_update(no_key=True, of=("self",))
        .select_related("skp__position__unit")
        .get(pk=rencana_aksi_id)
    )
    skp = ra.skp
    if not realisation_from_daily_log(skp):
        return
    employee = employee_for_user(user)
    if employee is None or skp.employee_id != employee.pk:
        raise Forbidden(_("Only the owner may record the work of this SKP."))
    _open_for_owner(skp, ra.month)
    figures = entries.aggregate(
        total=Sum("quantity", default=Decimal(0)),
        count=Count("pk"),
        evidenced=Count("pk", filter=Q(has_evidence=True)),
    )
    if not figures["count"]:
        Realisasi.objects.filter(rencana_aksi=ra).delete()
        return
    total = min(figures["total"], MAX_QUANTITY)
    Realisasi.objects.update_or_create(
        rencana_aksi=ra,
        defaults={
            "value": total,
            "note": _("Sum of %(n)d daily log entries.") % {"n": figures["count"]},
            "capaian_raw": capaian_raw(realisasi=total, target=ra.target),
            "entered_by": user,
            "entered_at": timezone.now(),
            "source": RealisationSource.DAILY_LOG,
            "daily_entries": figures["count"],
            "daily_evidence": figures["evidenced"],
        },
    )


def _realisasi_apply(ra: RencanaAksi, real, user) -> None:
    if real == "keep":
        real = None if not hasattr(ra, "realisasi") else "recompute"
        if real is None:
            return
    if real is None:
        Realisasi.objects.filter(rencana_aksi=ra).delete()
        return
    if real == "recompute":  # the target changed: the raw ratio follows
        r = ra.realisasi
        r.capaian_raw = capaian_raw(realisasi=r.value, target=ra.target)
        r.save(update_fields=["capaian_raw"])
        return
    Realisasi.objects.update_or_create(
        rencana_aksi=ra,
        defaults={
            "value": real["value"],
            "note": real["note"],
            "indicator": real["indicator"],
            "capaian_raw": capaian_raw(realisasi=real["value"], target=ra.target),
            "entered_by": user,
            "entered_at": timezone.now(),
            "source": RealisationSource.MANUAL,
            "daily_entries": 0,
            "daily_evidence": 0,
        },
    )


@transaction.atomic
def rencana_aksi_delete(*, rencana_aksi: RencanaAksi, user) -> None:
    skp = _lock_for_owner(rencana_aksi.skp, user)
    _open_for_owner(skp, rencana_aksi.month)
    rencana_aksi.delete()


def _evidence_max_bytes() -> int:
    return getattr(settings, "SKP_EVIDENCE_MAX_BYTES", 5 * 1024 * 1024)


@transaction.atomic
def bukti_dukung_add(
    *, rencana_aksi: RencanaAksi, user, file=None, url: str | None = None
) -> BuktiDukung:
    """Attach evidence: a file (PDF, JPG or PNG by its bytes, at most
    SKP_EVIDENCE_MAX_BYTES; 413 above) or an http(s) link."""
    skp = _lock_for_owner(rencana_aksi.skp, user)
    _open_for_owner(skp, rencana_aksi.month)
    if (file is None) == (not url):
        raise ApplicationError(_("Give either a file or a link."))
    evidence = BuktiDukung(rencana_aksi=rencana_aksi, uploaded_by=user)
    if file is not None:
        limit = _evidence_max_bytes()
        if file.size > limit:
            raise PayloadTooLarge(
                field_errors={
                    "file": [_("The file is larger than %(mb)d MB.") % {"mb": limit // 2**20}]
                }
            )
        if file.size == 0:
            raise ApplicationError(field_errors={"file": [_("The file is empty.")]})
        content_type = sniff_content_type(file)
        if content_type not in EVIDENCE_TYPES:
            raise ApplicationError(
                field_errors={
                    "file": [_("This file type is not accepted; upload a PDF, JPG or PNG.")]
                }
            )
        evidence.kind = BuktiDukung.Kind.FILE
        evidence.original_name = (getattr(file, "name", "") or "bukti")[-255:]
        evidence.content_type, evidence.size = content_type, file.size
        evidence.sha256 = sha256_of(file)
        ext = {"application/pdf": ".pdf", "image/jpeg": ".jpg", "image/png": ".png"}[content_type]
        evidence.file.save(f"{uuid.uuid4().hex}{ext}", file, save=False)
    else:
        url = url.strip() if isinstance(url, str) else ""
        try:
            if len(url) > 1000:
                raise ValidationError("too long")
            URLValidator(schemes=["http", "https"])(url)
        except ValidationError:
            raise ApplicationError(
                field_errors={"url": [_("Enter a valid http(s) link of at most 1000 characters.")]}
            ) from None
        evidence.kind, evidence.url = BuktiDukung.Kind.LINK, url
    try:
        evidence.save()
    except Exception:
        if evidence.file:
            evidence.file.storage.delete(evidence.file.name)
        raise
    return evidence


@transaction.atomic
def bukti_dukung_delete(*, evidence: BuktiDukung, user) -> None:
    skp = _lock_for_owner(evidence.rencana_aksi.skp, user)
    _open_for_owner(skp, evidence.rencana_aksi.month)
    if evidence.file:
        name = evidence.file.name
        transaction.on_commit(lambda: evidence.file.storage.delete(name))
    evidence.delete()


@transaction.atomic
def umpan_balik_add(
    *, skp: Skp, user, period: str, text: str, rhk: Rhk | None = None, core_value: str = ""
) -> UmpanBalik:
    """Feedback by the pejabat penilai of the day on one RHK or one BerAKHLAK value of an
    approved SKP, for a period of its year. Append-only."""
    skp, reviewer = lock_for_penilai(skp, user, on=timezone.localdate(), evaluating=True)
    if skp.status != SkpStatus.APPROVED:
        raise Conflict(_("Feedback is given on an approved SKP."))
    parsed = period_parse(period)
    if parsed is None or parsed.year != skp.year:
        raise ApplicationError(
            field_errors={
                "period": [
                    _("Give a period of the SKP's year (YYYY-MM, YYYY-Qn, YYYY-Sn or YYYY).")
                ]
            }
        )
    if (rhk is None) == (not core_value):
        raise ApplicationError(_("Give feedback on either an RHK or a core value."))
    if rhk is not None and rhk.skp_id != skp.pk:
        raise ApplicationError(field_errors={"rhk": [_("Choose an RHK of this SKP.")]})
    if core_value and core_value not in CoreValue.values:
        raise ApplicationError(field_errors={"core_value": [_("Unknown core value.")]})
    errors: dict = {}
    text = _text(text, "text", errors, max_length=MAX_NOTE)
    if errors:
        raise ApplicationError(field_errors=errors)
    month_guard(skp=skp, months=parsed.months, wholly=True)
    return UmpanBalik.objects.create(
        skp=skp,
        period=parsed.code,
        rhk=rhk,
        core_value=core_value or "",
        text=text,
        author=reviewer.employee,
        author_name=reviewer.employee.name,
        author_position_name=reviewer.position.name,
        acting_as=reviewer.acting_as or "",
        at=timezone.now(),
    )
