"""Business actions on attendance, face enrolment and absences. Keyword-only, the actor
explicit, one transaction each. The daily log and the monthly report live in
`services_reporting` (re-exported here for callers)."""

import contextlib
import datetime
import hashlib
import io
import math

import filetype
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from PIL import Image, ImageOps

from config.exceptions import ApplicationError, Conflict, Forbidden, PayloadTooLarge
from organization.models import Employee
from skp.selectors import employee_required

from . import face, geo, selectors
from .models import (
    Absence,
    AttendanceRecord,
    FaceEnrolment,
    Flag,
)
from .services_reporting import (  # noqa: F401
    DAILY_LOG_FIELDS,
    daily_log_create,
    daily_log_delete,
    daily_log_update,
    monthly_report_approve,
    monthly_report_return,
    monthly_report_submit,
)

PHOTO_TYPES = {"image/jpeg", "image/png"}
# What the employee agrees to at enrolment (stored with the enrolment, word for word).
CONSENT_TEXT = gettext_lazy(
    "I agree that my face photo is processed to verify my attendance. Alur keeps a "
    "numeric description of my face and one reference photo until I delete my "
    "enrolment; attendance photos are kept %(days)d days. Only I, my superior and the "
    "personnel section (HR) may see them (UU 27/2022 on personal data protection)."
)


def consent_text() -> str:
    return str(CONSENT_TEXT) % {"days": settings.ATTENDANCE_PHOTO_RETENTION_DAYS}


def _read_photo(photo) -> bytes:
    """The upload's bytes, checked: present, not too large, really a JPEG or PNG."""
    if photo is None:
        raise ApplicationError(field_errors={"photo": [_("Take a photo of your face.")]})
    if photo.size > settings.ATTENDANCE_MAX_PHOTO_BYTES:
        raise PayloadTooLarge(
            field_errors={
                "photo": [
                    _("The photo is larger than %(mb)d MB.")
                    % {"mb": settings.ATTENDANCE_MAX_PHOTO_BYTES // (1024 * 1024)}
                ]
            }
        )
    data = photo.read()
    kind = filetype.guess(data[:262])
    if kind is None or kind.mime not in PHOTO_TYPES:
        raise ApplicationError(field_errors={"photo": [_("The photo must be a JPEG or PNG.")]})
    return data


def _face_or_400(data: bytes) -> face.Face:
    try:
        return face.face_of(data)
    except face.NoFace:
        raise ApplicationError(
            field_errors={
                "photo": [_("No face was found in the photo. Face the camera in good light.")]
            }
        ) from None


def _minimal_copy(data: bytes) -> ContentFile:
    """A small JPEG without EXIF (no GPS, no device data): what is kept of a photo."""
    image = ImageOps.exif_transpose(Image.open(io.BytesIO(data))).convert("RGB")
    image.thumbnail((settings.ATTENDANCE_PHOTO_SIDE, settings.ATTENDANCE_PHOTO_SIDE))
    out = io.BytesIO()
    image.save(out, format="JPEG", quality=80)
    return ContentFile(out.getvalue(), name="photo.jpg")


@contextlib.contextmanager
def _files_kept_only_on_success():
    """Yields a list to append (storage, name) of files written in the block; they are
    removed again when the block fails, so a refused action leaves no file behind."""
    written: list = []
    try:
        yield written
    except BaseException:
        for storage, name in written:
            with contextlib.suppress(OSError):
                storage.delete(name)
        raise


# --- face enrolment -------------------------------------------------------------------


def face_enrol(*, user, photo, consent: bool) -> FaceEnrolment:
    """Enrol (or replace) the employee's reference face. Needs explicit consent."""
    employee = employee_required(user)
    if consent is not True:
        raise ApplicationError(
            field_errors={"consent": [_("Your explicit consent is needed to enrol your face.")]}
        )
    data = _read_photo(photo)
    found = _face_or_400(data)
    with _files_kept_only_on_success() as written, transaction.atomic():
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        old = FaceEnrolment.objects.filter(employee=employee).first()
        old_photo = old.photo.name if old else None
        enrolment = old or FaceEnrolment(employee=employee)
        enrolment.descriptor = found.descriptor
        enrolment.photo_sha256 = hashlib.sha256(data).hexdigest()
        enrolment.consent_text = consent_text()
        enrolment.consented_at = timezone.now()
        enrolment.photo.save("face.jpg", _minimal_copy(data), save=False)
        storage = enrolment.photo.storage
        written.append((storage, enrolment.photo.name))
        if old_photo:
            transaction.on_commit(lambda: storage.delete(old_photo))
        enrolment.save()
    return enrolment


def face_enrolment_delete(*, user) -> bool:
    """The employee withdraws: descriptor and reference photo are removed."""
    employee = employee_required(user)
    with transaction.atomic():
        enrolment = FaceEnrolment.objects.select_for_update().filter(employee=employee).first()
        if enrolment is None:
            return False
        name, storage = enrolment.photo.name, enrolment.photo.storage
        enrolment.delete()
        transaction.on_commit(lambda: storage.delete(name))
    return True


# --- checking in and out --------------------------------------------------------------


def _number(value, name, low, high) -> float:
    try:
        number = float(str(value).strip().replace(",", "."))
    except (TypeError, ValueError):
        raise ApplicationError(field_errors={name: [_("Enter a number.")]}) from None
    if not math.isfinite(number) or not low <= number <= high:
        raise ApplicationError(
            field_errors={name: [_("Must be between %(low)s and %(high)s.") % locals()]}
        )
    return number


def attendance_check(
    *,
    user,
    kind: str,
    latitude,
    longitude,
    accuracy,
    photo,
    client_time: datetime.datetime | None = None,
    now: datetime.datetime | None = None,
) -> AttendanceRecord:
    """Record a check-in or check-out. No face -> 400. Outside every work location, a
    GPS fix worse than the location allows, a face far from the enrolment, a photo sent
    before, or a device clock far from the server's -> recorded `flagged` for the
    supervisor (never silently accepted)."""
    employee = employee_required(user)
    now = now or timezone.now()
    if kind not in AttendanceRecord.Kind.values:
        raise ApplicationError(field_errors={"kind": [_('Must be "in" or "out".')]})
    lat = _number(latitude, "latitude", -90, 90)
    lon = _number(longitude, "longitude", -180, 180)
    acc = _number(accuracy, "accuracy", 0, 1_000_000)
    enrolment = selectors.enrolment_of(employee)
    if enrolment is None:
        raise Conflict(_("Enrol your face first (Presensi > Wajah)."))
    data = _read_photo(photo)
    found = _face_or_400(data)
    today = timezone.localtime(now).date()
    flags = []

    # The location that takes the employee in, else the nearest one.
    scored = sorted(
        (
            (geo.distance_m(lat, lon, float(loc.latitude), float(loc.longitude)), loc)
            for loc in selectors.locations_for(employee, today)
        ),
        key=lambda pair: (pair[0] > pair[1].radius_m, pair[0]),
    )
    nearest_distance, nearest = scored[0] if scored else (None, None)
    within = nearest is not None and nearest_distance <= nearest.radius_m
    if nearest is None:
        flags.append(Flag.NO_LOCATION)
    elif not within:
        flags.append(Flag.OUTSIDE_GEOFENCE)
    if nearest is not None and acc > nearest.max_accuracy_m:
        flags.append(Flag.LOW_ACCURACY)

    face_distance = face.distance(found.descriptor, enrolment.descriptor)
    face_match = face_distance <= settings.FACE_MATCH_THRESHOLD
    if not face_match:
        flags.append(Flag.FACE_MISMATCH)

    if client_time is not None:
        skew = abs((client_time - now).total_seconds())
        if skew > settings.ATTENDANCE_MAX_CLOCK_SKEW_SECONDS:
            flags.append(Flag.CLOCK_SKEW)

    digest = hashlib.sha256(data).hexdigest()
    with _files_kept_only_on_success() as written, transaction.atomic():
        # One check at a time per employee, so a double tap cannot race the replay check.
        Employee.objects.select_for_update().filter(pk=employee.pk).first()
        replayed = (
            digest == enrolment.photo_sha256
            or AttendanceRecord.objects.filter(photo_sha256=digest).exists()
        )
        if replayed:
            flags.append(Flag.REPLAYED_PHOTO)
        record = AttendanceRecord(
            employee=employee,
            kind=kind,
            at=now,
            date=today,
            client_time=client_time,
            latitude=round(lat, 6),
            longitude=round(lon, 6),
            accuracy_m=acc,
            location=nearest,
            location_name=nearest.name if nearest else "",
            distance_m=round(nearest_distance, 1) if nearest_distance is not None else None,
            within_geofence=within,
            face_distance=round(face_distance, 4),
            face_match=face_match,
            photo_sha256=digest,
            status=AttendanceRecord.Status.FLAGGED if flags else AttendanceRecord.Status.ACCEPTED,
            flags=[str(f) for f in flags],
        )
        record.photo.save("check.jpg", _minimal_copy(data), save=False)
        written.append((record.photo.storage, record.photo.name))
        record.save()
    return record


def attendance_review(*, record: AttendanceRecord, user, accept: bool, note: str = ""):
    """The superior of the day or HR accepts or rejects a flagged record."""
    with transaction.atomic():
        record = (
            AttendanceRecord.objects.select_for_update()
            .select_related("employee")
            .get(pk=record.pk)
        )
        if not selectors.may_oversee(user=user, employee=record.employee, on=timezone.localdate()):
            raise Forbidden()
        if record.status != AttendanceRecord.Status.FLAGGED:
            raise Conflict(_("This record is not waiting for a review."))
        if not accept and not note.strip():
            raise ApplicationError(field_errors={"note": [_("Say why it is rejected.")]})
        record.status = (
            AttendanceRecord.Status.ACCEPTED if accept else AttendanceRecord.Status.REJECTED
        )
        record.reviewed_by = user
        record.reviewed_at = timezone.now()
        record.review_note = note.strip()[:2000]
        record.save(update_fields=["status", "reviewed_by", "reviewed_at", "review_note"])
    return record


def photos_purge(*, now: datetime.datetime | None = None) -> int:
    """Remove attendance photos older than the retention period (the records stay)."""
    now = now or timezone.now()
    limit = now - datetime.timedelta(days=settings.ATTENDANCE_PHOTO_RETENTION_DAYS)
    purged = 0
    for record in AttendanceRecord.objects.filter(at__lt=limit).exclude(photo=""):
        name, storage = record.photo.name, record.photo.storage
        if AttendanceRecord.objects.filter(pk=record.pk, photo=name).update(photo="") == 1:
            storage.delete(name)
            purged += 1
    return purged


# --- absences -------------------------------------------------------------------------


def absence_record(
    *,
    employee: Employee,
    kind: str,
    start_date: datetime.date,
    end_date: datetime.date,
    reference: str,
    user=None,
    source_request_id: int | None = None,
) -> Absence:
    """Excuse days (an approved leave request, or a letter HR uploads). Idempotent per
    source request."""
    absence = Absence(
        employee=employee,
        kind=kind,
        start_date=start_date,
        end_date=end_date,
        reference=reference,
        recorded_by=user,
        source_request_id=source_request_id,
    )
    try:
        absence.full_clean(exclude=["source_request_id"])
    except ValidationError as exc:
        raise ApplicationError(field_errors=exc.message_dict) from None
    if start_date > end_date:
        raise ApplicationError(field_errors={"end_date": [_("The end date is before the start.")]})
    try:
        with transaction.atomic():
            absence.save()
    except IntegrityError:
        return Absence.objects.get(source_request_id=source_request_id)
    return absence
