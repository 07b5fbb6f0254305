"""Business actions of the personnel room: importing SIASN data and solving the
consistency issues. Nothing here ever writes to SIASN."""

import io
import logging
import os
from collections.abc import Callable

from django.core.exceptions import ValidationError
from django.core.files.storage import default_storage
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.exceptions import ApplicationError, Conflict
from organization.models import Employee, Golongan, PositionHolding

from .bulk import copy_create
from .client import SiasnError, fetch_rows
from .consistency import consistency_refresh
from .models import ConsistencyIssue, IssueAction, IssueClass, SiasnImport, SiasnRecord
from .siasn import BknRow, CountingReader, ImportFileError, RowError, iter_rows

logger = logging.getLogger(__name__)
BATCH = 1000
MAX_ERRORS_LISTED = 50
RECORD_FIELDS = [f for f in BknRow.__dataclass_fields__ if f != "nip"]
Progress = Callable[[SiasnImport], None]


def siasn_import_create(
    *, source: str, file_name: str = "", full: bool = True, user=None, upload=None
) -> SiasnImport:
    """Register an import; an uploaded file is kept in private storage for the worker."""
    siasn_import = SiasnImport(
        source=source,
        file_name=file_name[:255],
        full=full,
        uploaded_by=user if user and user.is_authenticated else None,
    )
    if upload is not None:
        siasn_import.bytes_total = upload.size
        siasn_import.stored_file = default_storage.save("personnel-imports/siasn.upload", upload)
    siasn_import.save()
    return siasn_import


def _claim(siasn_import: SiasnImport) -> bool:
    """QUEUED -> RUNNING exactly once (a redelivered task finds nothing to do)."""
    claimed = SiasnImport.objects.filter(
        pk=siasn_import.pk, status=SiasnImport.Status.QUEUED
    ).update(status=SiasnImport.Status.RUNNING, started_at=timezone.now())
    siasn_import.refresh_from_db()
    return claimed == 1


def siasn_import_run(
    *, siasn_import: SiasnImport, binary=None, progress: Progress | None = None, rows=None
) -> dict:
    """Read a SIASN file (a binary stream, CSV or JSON; or `rows`, BknRow items already
    read, e.g. from the SIASN API) into SiasnRecord, BATCH rows per transaction, then
    refresh the consistency issues. Returns the JSON summary (also stored on the import).

    Idempotent: a row whose content is unchanged is not rewritten, so importing the
    same file twice changes no record and no issue. A full export marks the records it
    no longer contains as absent (MISSING_BKN) once the whole file has been read.
    """
    if not _claim(siasn_import):
        raise Conflict(_("This import has already been run."))
    counts = {"created": 0, "updated": 0, "unchanged": 0, "dropped": 0, "errors": 0}
    errors: list[dict] = []
    counting = None
    try:
        if rows is None:
            if binary is None:
                binary = default_storage.open(siasn_import.stored_file, "rb")
            counting = CountingReader(binary)
            rows = iter_rows(io.BufferedReader(counting, buffer_size=1 << 16))
        batch: list[tuple[int, BknRow]] = []
        for line, item in rows:
            if isinstance(item, RowError):
                counts["errors"] += 1
                if len(errors) < MAX_ERRORS_LISTED:
                    errors.append({"line": line, "error": str(item)})
                continue
            batch.append((line, item))
            if len(batch) >= BATCH:
                _apply(siasn_import, batch, counts, errors)
                batch = []
                _progress(siasn_import, counting, counts, progress)
        if batch:
            _apply(siasn_import, batch, counts, errors)
        _progress(siasn_import, counting, counts, progress)
        if siasn_import.full:
            counts["dropped"] = (
                SiasnRecord.objects.filter(present=True)
                .exclude(last_seen=siasn_import)
                .update(present=False)
            )
    except (ImportFileError, SiasnError) as error:
        return _finish(siasn_import, counts, errors, failed=str(error))
    except Exception:
        logger.exception("SIASN import %s failed", siasn_import.pk)
        _finish(siasn_import, counts, errors, failed=_("Unexpected error; see the server log."))
        raise
    finally:
        _discard_upload(siasn_import)
    SiasnImport.objects.filter(pk=siasn_import.pk).update(status=SiasnImport.Status.DONE)
    siasn_import.status = SiasnImport.Status.DONE
    issues = consistency_refresh()
    return _finish(siasn_import, counts, errors, issues=issues)


def _apply(siasn_import, batch, counts, errors):
    now = timezone.now()
    with transaction.atomic():
        existing = {
            r.nip: r
            for r in SiasnRecord.objects.select_for_update().filter(
                nip__in=[row.nip for _, row in batch]
            )
        }
        create, update, seen, batch_nips = {}, [], [], set()
        for line, row in batch:
            record = existing.get(row.nip)
            duplicate = row.nip in batch_nips or (
                record is not None and record.last_seen_id == siasn_import.pk
            )
            batch_nips.add(row.nip)
            if duplicate:
                counts["errors"] += 1
                if len(errors) < MAX_ERRORS_LISTED:
                    errors.append(
                        {"line": line, "error": _("NIP %(nip)s appears twice.") % {"nip": row.nip}}
                    )
                continue
            fingerprint = row.fingerprint()
            if record is None:
                create[row.nip] = SiasnRecord(
                    nip=row.nip,
                    nip_valid=row.nip_valid,
                    fingerprint=fingerprint,
                    imported=siasn_import,
                    last_seen=siasn_import,
                    imported_at=now,
                    **{f: getattr(row, f) for f in RECORD_FIELDS},
                )
                counts["created"] += 1
            elif record.fingerprint != fingerprint or not record.present:
                for f in RECORD_FIELDS:
                    setattr(record, f, getattr(row, f))
                record.nip_valid, record.fingerprint, record.present = (
                    row.nip_valid,
                    fingerprint,
                    True,
                )
                record.imported, record.last_seen, record.imported_at = (
                    siasn_import,
                    siasn_import,
                    now,
                )
                record.last_seen_id = siasn_import.pk
                update.append(record)
                counts["updated"] += 1
            else:
                seen.append(record.pk)
                counts["unchanged"] += 1
        copy_create(SiasnRecord, list(create.values()))
        SiasnRecord.objects.bulk_update(
            update,
            [
                *RECORD_FIELDS,
                "nip_valid",
                "fingerprint",
                "present",
                "imported",
                "last_seen",
                "imported_at",
            ],
            batch_size=BATCH,
        )
        SiasnRecord.objects.filter(pk__in=seen).update(last_seen=siasn_import)


def _progress(siasn_import, counting, counts, progress):
    siasn_import.rows_read = sum(counts.values()) - counts["dropped"]
    if counting is not None:
        siasn_import.bytes_read = counting.bytes_read
    SiasnImport.objects.filter(pk=siasn_import.pk).update(
        rows_read=siasn_import.rows_read, bytes_read=siasn_import.bytes_read
    )
    if progress:
        progress(siasn_import)


def _finish(siasn_import, counts, errors, *, issues=None, failed="") -> dict:
    siasn_import.finished_at = timezone.now()
    open_by_class = dict.fromkeys(IssueClass.values, 0)
    for issue_class in (
        ConsistencyIssue.objects.filter(status=ConsistencyIssue.Status.OPEN)
        .values_list("issue_class", flat=True)
        .iterator()
    ):
        open_by_class[issue_class] += 1
    summary = {
        "import": siasn_import.pk,
        "file": siasn_import.file_name,
        "status": "failed" if failed else "done",
        "full": siasn_import.full,
        "rows": siasn_import.rows_read,
        **counts,
        "error_rows": errors,
        "issues_open": open_by_class,
        "issue_changes": issues or {},
        "started_at": siasn_import.started_at.isoformat() if siasn_import.started_at else None,
        "finished_at": siasn_import.finished_at.isoformat(),
    }
    if failed:
        summary["error"] = failed
    siasn_import.summary = summary
    siasn_import.error = failed
    siasn_import.status = SiasnImport.Status.FAILED if failed else SiasnImport.Status.DONE
    siasn_import.save(update_fields=["finished_at", "summary", "error", "status"])
    return summary


def _discard_upload(siasn_import):
    if siasn_import.stored_file:
        try:
            default_storage.delete(siasn_import.stored_file)
        except OSError:  # pragma: no cover - storage hiccup: the file is private anyway
            logger.warning("could not delete %s", siasn_import.stored_file)
        SiasnImport.objects.filter(pk=siasn_import.pk).update(stored_file="")
        siasn_import.stored_file = ""


def siasn_import_file(*, path: str, full: bool = True, progress: Progress | None = None) -> dict:
    """`manage.py siasn_import FILE`: the same import, read straight from the file."""
    siasn_import = siasn_import_create(
        source=SiasnImport.Source.COMMAND, file_name=os.path.basename(path), full=full
    )
    siasn_import.bytes_total = os.path.getsize(path)
    siasn_import.save(update_fields=["bytes_total"])
    with open(path, "rb") as binary:
        return siasn_import_run(siasn_import=siasn_import, binary=binary, progress=progress)


def siasn_fetch(*, nips: list[str], user=None, client=None) -> dict:
    """Fetch `pns/data-utama/{nip}` for each NIP from the SIASN API into the same import
    path as a file (a partial import: nobody else is marked missing)."""
    siasn_import = siasn_import_create(
        source=SiasnImport.Source.API, file_name="pns/data-utama", full=False, user=user
    )
    return siasn_import_run(siasn_import=siasn_import, rows=fetch_rows(nips, client))


# --- solving issues --------------------------------------------------------------------------

# FIELD_MISMATCH fields BKN's value can be taken for, and how.
ACCEPTABLE_FIELDS = ("nama", "golongan", "tmt_golongan", "kedudukan", "tmt_jabatan")


def _lock_issue(issue: ConsistencyIssue) -> ConsistencyIssue:
    locked = (
        ConsistencyIssue.objects.select_for_update(of=("self",))
        .select_related("record", "employee")
        .get(pk=issue.pk)
    )
    if locked.status == ConsistencyIssue.Status.RESOLVED:
        raise Conflict(_("This issue is already resolved."))
    return locked


def _act(issue, *, kind, actor, note=""):
    IssueAction.objects.create(
        issue=issue,
        kind=kind,
        actor=actor,
        note=note,
        local_value=issue.local_value,
        bkn_value=issue.bkn_value,
        at=timezone.now(),
    )


def issue_accept_bkn(*, issue: ConsistencyIssue, actor, note: str = "") -> ConsistencyIssue:
    """Overwrite Alur's value with BKN's (one field of one employee), with a history row."""
    with transaction.atomic():
        issue = _lock_issue(issue)
        if issue.issue_class != IssueClass.FIELD_MISMATCH or issue.field not in ACCEPTABLE_FIELDS:
            raise ApplicationError(
                _("BKN's value cannot be taken over here; change it in the organisation data.")
            )
        employee, record = issue.employee, issue.record
        if employee is None or record is None:
            raise Conflict(_("The employee or BKN record is gone; check again."))
        if issue.field == "tmt_jabatan":
            _accept_tmt_jabatan(employee, record)
        else:
            field, value = {
                "nama": ("name", record.nama),
                "golongan": ("golongan", record.golongan_id),
                "tmt_golongan": ("golongan_tmt", record.tmt_golongan),
                "kedudukan": ("kedudukan", record.kedudukan_id),
            }[issue.field]
            if field == "golongan" and value not in Golongan.values:
                raise ApplicationError(_("BKN's rank code %(code)s is unknown.") % {"code": value})
            if field == "golongan_tmt" and not employee.golongan:
                employee.golongan = record.golongan_id
            setattr(employee, field, value)
            try:
                employee.full_clean(validate_unique=False)
            except ValidationError as error:
                raise ApplicationError(
                    _("BKN's value is not valid here: %(e)s") % {"e": "; ".join(error.messages)}
                ) from None
            employee.save(update_fields=[field, "golongan"] if field == "golongan_tmt" else [field])
        _act(issue, kind=IssueAction.Kind.ACCEPTED_BKN, actor=actor, note=note)
        consistency_refresh(nips=[issue.nip])
    issue.refresh_from_db()
    return issue


def _accept_tmt_jabatan(employee, record):
    today = timezone.localdate()
    holding = (
        PositionHolding.objects.on(today)
        .select_for_update()
        .filter(employee=employee)
        .order_by("-start_date")
        .first()
    )
    if holding is None or record.tmt_jabatan is None:
        raise Conflict(_("There is no current position to date."))
    holding.start_date = record.tmt_jabatan
    try:
        holding.full_clean()
    except ValidationError as error:
        raise ApplicationError("; ".join(error.messages)) from None
    holding.save(update_fields=["start_date"])


def issue_keep_local(*, issue: ConsistencyIssue, actor, note: str) -> ConsistencyIssue:
    """Keep Alur's value: the issue is acknowledged with the reason (until the data change)."""
    note = (note or "").strip()
    if not note:
        raise ApplicationError(field_errors={"note": [_("Say why the local value is kept.")]})
    with transaction.atomic():
        issue = _lock_issue(issue)
        issue.status = ConsistencyIssue.Status.ACKNOWLEDGED
        issue.note = note[:2000]
        issue.updated_at = timezone.now()
        issue.save(update_fields=["status", "note", "updated_at"])
        _act(issue, kind=IssueAction.Kind.KEPT_LOCAL, actor=actor, note=issue.note)
    return issue


def issue_create_employee(*, issue: ConsistencyIssue, actor) -> Employee:
    """Create the Alur employee from BKN's row (a MISSING_LOCAL issue)."""
    with transaction.atomic():
        issue = _lock_issue(issue)
        record = issue.record
        if issue.issue_class != IssueClass.MISSING_LOCAL or record is None:
            raise ApplicationError(_("Only an employee missing from Alur can be created."))
        if Employee.objects.filter(nip=record.nip).exists():
            raise Conflict(_("An employee with this NIP already exists."))
        employee = Employee(
            nip=record.nip,
            name=record.nama,
            golongan=record.golongan_id if record.golongan_id in Golongan.values else "",
            golongan_tmt=record.tmt_golongan if record.golongan_id in Golongan.values else None,
            kedudukan=record.kedudukan_id or "01",
            user=None,
        )
        try:
            employee.full_clean()
        except ValidationError as error:
            raise ApplicationError("; ".join(error.messages)) from None
        employee.save()
        _act(issue, kind=IssueAction.Kind.EMPLOYEE_CREATED, actor=actor)
        consistency_refresh(nips=[record.nip])
    return employee
