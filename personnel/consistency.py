"""What differs between Alur and BKN for one civil servant (DOMAIN.md 7.6), and the
refresh that keeps the stored issues in step with the data, in bounded batches."""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Prefetch
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from organization.models import (
    KEDUDUKAN_AKTIF,
    ActingAssignment,
    Employee,
    Golongan,
    Office,
    PositionHolding,
    PositionKind,
    Unit,
    kedudukan_label,
)
from organization.nip import parse_nip
from skp.models import Skp, SkpStatus

from .bulk import copy_create
from .models import ConsistencyIssue, IssueAction, IssueClass, SiasnImport, SiasnRecord
from .siasn import position_kind_of

BATCH = 1000
C = IssueClass


@dataclass(frozen=True)
class Found:
    issue_class: str
    field: str = ""
    local_value: str = ""
    bkn_value: str = ""


def normalise_name(text: str) -> str:
    return " ".join((text or "").split()).casefold()


def _date(value) -> str:
    return value.isoformat() if value else ""


def _golongan(code: str) -> str:
    label = dict(Golongan.choices).get(code)
    return f"{label} ({code})" if label else code


def _kind(kind) -> str:
    return str(dict(PositionKind.choices).get(kind, kind or ""))


def compare(
    *,
    employee: Employee | None,
    record: SiasnRecord | None,
    today,
    holding=None,
    acting=(),
    open_skp=None,
    bkn_loaded=True,
) -> list[Found]:
    """Every issue for one NIP. `holding`: the employee's current definitive holding (with
    position, unit, office); `acting`: PLT/PLH in force; `open_skp`: an unfinished SKP of
    this year; `bkn_loaded`: a full BKN export has been imported (else nothing is missing)."""
    found: list[Found] = []
    if record is not None and not record.present and employee is not None:
        record = None  # dropped from BKN's latest full export
    if employee is None:
        if record.nip_valid:
            found.append(Found(C.MISSING_LOCAL, bkn_value=record.full_name))
        else:
            found.append(Found(C.INVALID_NIP, bkn_value=record.nip))
        return found
    try:
        nip = parse_nip(employee.nip)
    except ValidationError:
        nip = None
        found.append(Found(C.INVALID_NIP, local_value=employee.nip))
    bkn_inactive = bool(record and record.kedudukan_id and record.kedudukan_id != KEDUDUKAN_AKTIF)
    if not employee.is_in_service or bkn_inactive:
        held = []
        if holding is not None:
            held.append(holding.position.name)
        held += [a.title for a in acting]
        if open_skp is not None:
            held.append(
                _("SKP %(year)s (%(status)s)")
                % {"year": open_skp.year, "status": open_skp.get_status_display()}
            )
        if held:
            code = record.kedudukan_id if bkn_inactive else employee.kedudukan
            found.append(
                Found(
                    C.INACTIVE_BUT_HOLDING,
                    local_value="; ".join(held)[:500],
                    bkn_value=(
                        record.kedudukan_nama
                        if bkn_inactive and record.kedudukan_nama
                        else kedudukan_label(code)
                    ),
                )
            )
    if record is None:
        if bkn_loaded:
            found.append(Found(C.MISSING_BKN, local_value=employee.name))
        return found

    def mismatch(field, local, bkn):
        found.append(Found(C.FIELD_MISMATCH, field, str(local)[:500], str(bkn)[:500]))

    if normalise_name(employee.name) not in (
        normalise_name(record.nama),
        normalise_name(record.full_name),
    ):
        mismatch("nama", employee.name, record.full_name)
    if nip and record.tanggal_lahir and record.tanggal_lahir != nip.birth_date:
        mismatch("tanggal_lahir", _date(nip.birth_date), _date(record.tanggal_lahir))
    if (
        nip
        and record.jenis_kelamin
        and record.jenis_kelamin != ("M" if nip.gender == "male" else "F")
    ):
        mismatch("jenis_kelamin", "M" if nip.gender == "male" else "F", record.jenis_kelamin)
    if record.golongan_id and record.golongan_id != employee.golongan:
        mismatch("golongan", _golongan(employee.golongan), _golongan(record.golongan_id))
    if record.tmt_golongan and record.tmt_golongan != employee.golongan_tmt:
        mismatch("tmt_golongan", _date(employee.golongan_tmt), _date(record.tmt_golongan))
    if record.kedudukan_id and record.kedudukan_id != employee.kedudukan:
        mismatch(
            "kedudukan",
            f"{employee.kedudukan} {kedudukan_label(employee.kedudukan)}",
            f"{record.kedudukan_id} {record.kedudukan_nama}".strip(),
        )
    position = holding.position if holding else None
    if record.jabatan_nama and (
        position is None or normalise_name(position.name) != normalise_name(record.jabatan_nama)
    ):
        mismatch("jabatan", position.name if position else "", record.jabatan_nama)
    bkn_kind = position_kind_of(
        jenis_jabatan_id=record.jenis_jabatan_id, eselon_id=record.eselon_id
    )
    if position is not None and bkn_kind and bkn_kind != position.kind:
        mismatch("jenis_jabatan", _kind(position.kind), _kind(bkn_kind))
    if holding is not None and record.tmt_jabatan and record.tmt_jabatan != holding.start_date:
        mismatch("tmt_jabatan", _date(holding.start_date), _date(record.tmt_jabatan))
    if position is not None and record.unor_id:
        local_unor = position.unit.siasn_unor_id or position.unit.office.siasn_unor_id
        if local_unor and local_unor != record.unor_id:
            mismatch(
                "unor",
                f"{position.unit.name} ({local_unor})",
                f"{record.unor_nama} ({record.unor_id})",
            )
    return found


# --- refresh -------------------------------------------------------------------------------


def _place_of_unor(unor_ids: Iterable[str]) -> dict[str, tuple[int | None, int | None]]:
    """unor id -> (office id, unit id) for the ids mapped on units or offices."""
    ids = [u for u in set(unor_ids) if u]
    places = {o.siasn_unor_id: (o.pk, None) for o in Office.objects.filter(siasn_unor_id__in=ids)}
    for unit in Unit.objects.filter(siasn_unor_id__in=ids):
        places[unit.siasn_unor_id] = (unit.office_id, unit.pk)
    return places


def _sync(nip_found: dict[str, tuple[list[Found], dict]], now) -> dict[str, int]:
    """Bring the stored issues of these NIPs in line with what was found. An unchanged
    issue is not written; a vanished one is resolved; a returning one reopened."""
    counts = {"opened": 0, "resolved": 0, "reopened": 0}
    existing, by_nip = {}, defaultdict(list)
    for i in ConsistencyIssue.objects.filter(nip__in=list(nip_found)):
        existing[(i.nip, i.issue_class, i.field)] = i
        by_nip[i.nip].append(i)
    create, actions = [], []
    for nip, (found, context) in nip_found.items():
        keys = set()
        for f in found:
            key = (nip, f.issue_class, f.field)
            keys.add(key)
            issue = existing.get(key)
            values = {"local_value": f.local_value, "bkn_value": f.bkn_value, **context}
            if issue is None:
                create.append(
                    ConsistencyIssue(
                        nip=nip,
                        issue_class=f.issue_class,
                        field=f.field,
                        detected_at=now,
                        updated_at=now,
                        **values,
                    )
                )
                counts["opened"] += 1
                continue
            changed = any(getattr(issue, k) != v for k, v in values.items())
            reopen = issue.status == ConsistencyIssue.Status.RESOLVED or (
                issue.status == ConsistencyIssue.Status.ACKNOWLEDGED
                and (issue.local_value, issue.bkn_value) != (f.local_value, f.bkn_value)
            )
            if not changed and not reopen:
                continue
            for k, v in values.items():
                setattr(issue, k, v)
            issue.updated_at = now
            if reopen:
                issue.status = ConsistencyIssue.Status.OPEN
                actions.append(
                    IssueAction(
                        issue=issue,
                        kind=IssueAction.Kind.REOPENED,
                        at=now,
                        local_value=f.local_value,
                        bkn_value=f.bkn_value,
                    )
                )
                counts["reopened"] += 1
            issue.save()
        for issue in by_nip[nip]:
            key = (nip, issue.issue_class, issue.field)
            if key not in keys and issue.status != ConsistencyIssue.Status.RESOLVED:
                issue.status = ConsistencyIssue.Status.RESOLVED
                issue.updated_at = now
                issue.save(update_fields=["status", "updated_at"])
                actions.append(IssueAction(issue=issue, kind=IssueAction.Kind.RESOLVED, at=now))
                counts["resolved"] += 1
    created = copy_create(ConsistencyIssue, create)
    actions += [
        IssueAction(
            issue=i,
            kind=IssueAction.Kind.DETECTED,
            at=now,
            local_value=i.local_value,
            bkn_value=i.bkn_value,
        )
        for i in created
    ]
    copy_create(IssueAction, actions)
    return counts


def _employee_batch(employees: list[Employee], today, bkn_loaded, now):
    records = {r.nip: r for r in SiasnRecord.objects.filter(nip__in=[e.nip for e in employees])}
    open_skp = {}
    for skp in Skp.objects.filter(employee__in=employees, year=today.year).exclude(
        status=SkpStatus.APPROVED
    ):
        open_skp.setdefault(skp.employee_id, skp)
    nip_found = {}
    for e in employees:
        holding = e.current_holdings[0] if e.current_holdings else None
        position = holding.position if holding else None
        found = compare(
            employee=e,
            record=records.get(e.nip),
            today=today,
            holding=holding,
            acting=e.acting_now,
            open_skp=open_skp.get(e.pk),
            bkn_loaded=bkn_loaded,
        )
        record = records.get(e.nip)
        nip_found[e.nip] = (
            found,
            {
                "employee_id": e.pk,
                "record_id": record.pk if record else None,
                "name": e.name,
                "office_id": position.unit.office_id if position else None,
                "unit_id": position.unit_id if position else None,
            },
        )
    return _sync(nip_found, now)


def _record_batch(records: list[SiasnRecord], today, now):
    places = _place_of_unor(r.unor_id for r in records)
    nip_found = {}
    for r in records:
        office_id, unit_id = places.get(r.unor_id, (None, None))
        nip_found[r.nip] = (
            compare(employee=None, record=r, today=today),
            {
                "employee_id": None,
                "record_id": r.pk,
                "name": r.full_name,
                "office_id": office_id,
                "unit_id": unit_id,
            },
        )
    return _sync(nip_found, now)


def _add(total, counts):
    for k, v in counts.items():
        total[k] = total.get(k, 0) + v


def consistency_refresh(*, nips: list[str] | None = None) -> dict[str, int]:
    """Recompute the issues of every employee and BKN record (or only of `nips`), one
    batch of `BATCH` NIPs per transaction, so memory stays bounded whatever the size.

    The labels stored with an issue are written in the site's language, whatever the
    language of the request or command that triggered the refresh."""
    with translation.override(settings.LANGUAGE_CODE):
        return _refresh(nips=nips)


def _refresh(*, nips: list[str] | None) -> dict[str, int]:
    today = timezone.localdate()
    now = timezone.now()
    bkn_loaded = SiasnImport.objects.filter(full=True, status=SiasnImport.Status.DONE).exists()
    employees = Employee.objects.order_by("pk").prefetch_related(
        Prefetch(
            "holdings",
            queryset=PositionHolding.objects.on(today)
            .select_related("position__unit__office")
            .order_by("-start_date"),
            to_attr="current_holdings",
        ),
        Prefetch(
            "acting_assignments",
            queryset=ActingAssignment.objects.on(today).select_related("position"),
            to_attr="acting_now",
        ),
    )
    orphans = (
        SiasnRecord.objects.filter(present=True)
        .exclude(Exists(Employee.objects.filter(nip=OuterRef("nip"))))
        .order_by("pk")
    )
    if nips is not None:
        employees = employees.filter(nip__in=nips)
        orphans = orphans.filter(nip__in=nips)
    total: dict[str, int] = {}
    for batch in _chunks(employees):
        with transaction.atomic():
            _add(total, _employee_batch(batch, today, bkn_loaded, now))
    for batch in _chunks(orphans):
        with transaction.atomic():
            _add(total, _record_batch(batch, today, now))
    with transaction.atomic():
        _add(total, _resolve_vanished(nips, now))
    return total


def _resolve_vanished(nips, now) -> dict[str, int]:
    """Issues of NIPs that are neither an employee nor a present BKN record any more."""
    known = Exists(Employee.objects.filter(nip=OuterRef("nip"))) | Exists(
        SiasnRecord.objects.filter(nip=OuterRef("nip"), present=True)
    )
    gone = ConsistencyIssue.objects.exclude(status=ConsistencyIssue.Status.RESOLVED).exclude(known)
    if nips is not None:
        gone = gone.filter(nip__in=nips)
    ids = list(gone.values_list("pk", flat=True)[:100_000])
    ConsistencyIssue.objects.filter(pk__in=ids).update(
        status=ConsistencyIssue.Status.RESOLVED, updated_at=now
    )
    copy_create(
        IssueAction, [IssueAction(issue_id=i, kind=IssueAction.Kind.RESOLVED, at=now) for i in ids]
    )
    return {"resolved": len(ids)}


def _chunks(queryset):
    """Batches of a queryset by primary key (keyset pagination: no OFFSET, no big cursor)."""
    last = 0
    while True:
        batch = list(queryset.filter(pk__gt=last)[:BATCH])
        if not batch:
            return
        yield batch
        last = batch[-1].pk
