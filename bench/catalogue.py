"""What the SQL seeder (bench/seed.py) needs from Python, loaded into temporary tables:
the catalogue's public services and their steps, the staff who work each unit, the
working-day calendar, the registration numbers' check-character constants and the
outbox texts, each rendered once by the app's own code and filled in per row by SQL.

Everything here is small (services, steps, staff, ~500 days, ~200 texts); the million
rows are made in PostgreSQL from these.
"""

import datetime
import json

from django.utils import formats, timezone, translation
from django.utils.translation import gettext as _

# Sentinels the rendered texts carry where a row's own values go (bench/seed_sql.py).
NUMBER, TOKEN, DUE = "QQNUMBERQQ", "QQTOKENQQ", datetime.date(1901, 1, 1)
# How many past working days finished requests spread over (about a year).
HISTORY_DAYS = 250
# Request transitions -> the outbox kind they send (notifications.services.EVENT_MESSAGES).
EVENT_KINDS = {
    "submitted": "submitted",
    "started": "step_started",
    "advanced": "step_started",
    "returned": "returned",
    "completed": "completed",
    "rejected": "rejected",
    "cancelled": "cancelled",
}
NOTES = {
    "returned": "Mohon unggah ulang dokumen yang terbaca jelas.",
    "rejected": "Persyaratan tidak terpenuhi.",
}


def _rows(cursor, table: str, columns: str, rows: list[tuple]) -> None:
    cursor.execute(f"CREATE TEMP TABLE {table} ({columns}) ON COMMIT DROP")
    if rows:
        marks = ", ".join(["%s"] * len(rows[0]))
        cursor.executemany(f"INSERT INTO {table} VALUES ({marks})", rows)  # noqa: S608


def sample_data(service) -> dict:
    """Form answers the service's own validation accepts (what a real applicant sends)."""
    from workflow.validation import clean_data

    answers = {}
    for field in service.fields.all():
        if field.type == "number":
            answers[field.code] = 1
        elif field.type == "date":
            answers[field.code] = "2026-01-15"
        elif field.type == "choice" and field.choices:
            answers[field.code] = field.choices[0]
        elif field.type == "email":
            answers[field.code] = "pemohon@example.id"
        elif field.type == "phone":
            answers[field.code] = "+6281234567890"
        else:
            answers[field.code] = "Data uji beban"
    clean, errors = clean_data(service, answers)
    for code in errors:
        answers.pop(code, None)
    clean, errors = clean_data(service, answers)
    return clean if not errors else {}


def _check_constants(offices, years):
    """The check character is linear over GF(32) (workflow/numbers.py), so it is an XOR
    of one constant per (office, year, number of digits) and one per digit position and
    value: SQL looks them up instead of folding each number."""
    from workflow.numbers import _VALUE, _fold, _times_two

    def times_two_n(c, n):
        for _i in range(n):
            c = _times_two(c)
        return c

    prefixes = []
    for office_id, code in offices:
        for year in years:
            base = _fold(f"{code}{year:04d}")
            for digits in (5, 6, 7):
                prefixes.append((office_id, year, digits, times_two_n(base, digits + 1)))
    positions = [times_two_n(_VALUE[str(d)], k + 1) for k in range(7) for d in range(10)]
    return prefixes, positions


def load(cursor, *, queue_unit) -> dict:
    """Create the temporary tables; return what the SQL needs as parameters."""
    from django.contrib.contenttypes.models import ContentType

    from organization.models import StaffMembership
    from services_catalog.models import ServiceType, Step
    from workflow import roles
    from workflow.deadlines import is_working_day
    from workflow.models import ServiceRequest

    services = [
        s
        for s in ServiceType.objects.filter(audience=ServiceType.Audience.PUBLIC, is_active=True)
        .exclude(code__startswith="bench-")
        .select_related("unit__office")
        .prefetch_related("steps__unit", "fields", "documents")
        .order_by("pk")
        if s.steps.exists() and all(st.route == Step.Route.UNIT for st in s.steps.all())
    ]
    workers: dict[int, list] = {}
    clerks: dict[int, object] = {}
    for m in StaffMembership.objects.select_related("user", "unit").order_by("pk"):
        if m.role in roles.WORKER_ROLES and m.user.is_active:
            workers.setdefault(m.unit_id, []).append(m)
        elif m.role == roles.Role.CLERK and m.unit.office_id not in clerks:
            clerks[m.unit.office_id] = m
    service_rows, step_rows, staff_rows, texts_rows, doc_rows = [], [], [], [], []

    with translation.override("id"):
        applicant_as = _("Applicant")
        for sno, service in enumerate(services):
            steps = sorted(service.steps.all(), key=lambda st: st.order)
            office = service.unit.office
            clerk = clerks.get(office.pk)
            clerk_as = roles.acting_as_staff(clerk.user, clerk.unit, {clerk.role}) if clerk else ""
            queue = (office.code, steps[0].unit.code) == queue_unit
            service_rows.append(
                (
                    sno,
                    service.pk,
                    office.pk,
                    office.code,
                    len(steps),
                    service.sla_working_days,
                    service.correction_days,
                    queue,
                    clerk.user_id if clerk else None,
                    clerk_as,
                    json.dumps(sample_data(service)),
                )
            )
            for doc in service.documents.all():
                if doc.required:
                    kind = "application/pdf" if "application/pdf" in doc.content_types else None
                    doc_rows.append((sno, doc.code, kind or doc.content_types[0]))
            for k, step in enumerate(steps):
                step_rows.append(
                    (sno, k, step.pk, step.unit_id, step.sla_working_days, step.may_return)
                )
                for kind, message_kind in EVENT_KINDS.items():
                    texts_rows.extend(_texts(sno, service, office, steps, k, kind, message_kind))
        units = {st.unit for s in services for st in s.steps.all()}
        for unit in sorted(units, key=lambda u: u.pk):
            people = workers.get(unit.pk) or [
                m for ms in workers.values() for m in ms if m.unit.office_id == unit.office_id
            ]
            seen = set()
            for m in people:
                if m.user_id in seen:
                    continue
                seen.add(m.user_id)
                unit_roles = {x.role for x in workers.get(unit.pk, []) if x.user_id == m.user_id}
                staff_rows.append(
                    (
                        unit.pk,
                        len(seen) - 1,
                        m.user_id,
                        roles.acting_as_staff(m.user, unit, unit_roles or {m.role}),
                    )
                )
        months = [formats.date_format(datetime.date(2000, m, 1), "F") for m in range(1, 13)]
        due_text = formats.date_format(DUE, "j F Y")
    _rows(
        cursor,
        "s_service",
        "sno int, service_id bigint, office_id bigint, office_code text, nsteps int, sla int, "
        "correction_days int, queue bool, clerk_id int, clerk_as text, data jsonb",
        service_rows,
    )
    _rows(
        cursor,
        "s_step",
        "sno int, k int, step_id bigint, unit_id bigint, sla int, may_return bool",
        step_rows,
    )
    _rows(cursor, "s_doc", "sno int, code text, content_type text", doc_rows)
    per_unit = {}
    for row in staff_rows:
        per_unit[row[0]] = per_unit.get(row[0], 0) + 1
    staff_rows = [(*row, per_unit[row[0]]) for row in staff_rows]
    _rows(
        cursor,
        "s_staff",
        "unit_id bigint, j int, user_id int, acting_as text, nstaff int",
        staff_rows,
    )
    _rows(
        cursor,
        "s_text",
        "sno int, k int, event_kind text, kind text, body text, content_sid text, variables jsonb",
        texts_rows,
    )
    today = timezone.localdate()
    days, day = [], today - datetime.timedelta(days=int(HISTORY_DAYS * 1.6) + 30)
    while day <= today + datetime.timedelta(days=120):
        if is_working_day(day):
            days.append((len(days), day))
        day += datetime.timedelta(days=1)
    _rows(cursor, "s_day", "i int primary key, day date", days)
    past = [i for i, d in days if d < today]
    years = sorted({d.year for _i, d in days})
    prefixes, positions = _check_constants(sorted({(s[2], s[3]) for s in service_rows}), years)
    _rows(cursor, "s_prefix", "office_id bigint, year int, digits int, value int", prefixes)
    for table in ("s_service", "s_step", "s_staff", "s_text", "s_day", "s_prefix", "s_doc"):
        cursor.execute(f"ANALYZE {table}")
    document = _stored_document()
    return {
        **document,
        "services": len(service_rows),
        "queue_services": sum(1 for s in service_rows if s[7]),
        "max_steps": max(s[4] for s in service_rows),
        "last_day": past[-1],
        "first_day": past[-1] - HISTORY_DAYS,
        "positions": positions,
        "months": months,
        "due_text": due_text,
        "applicant_as": applicant_as,
        "content_type": ContentType.objects.get_for_model(ServiceRequest).pk,
        "tz": timezone.get_current_timezone_name(),
        "notes": NOTES,
    }


def _stored_document() -> dict:
    """One small PDF in the media storage that every seeded document row points to (the
    rows are what the app reads; a download serves this file)."""
    import hashlib

    from django.core.files.base import ContentFile
    from django.core.files.storage import default_storage

    content = (
        b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
        b"2 0 obj<</Type/Pages/Kids[]/Count 0>>endobj\ntrailer<</Root 1 0 R>>\n%%EOF\n"
    )
    name = "documents/bench/berkas-uji-beban.pdf"
    if not default_storage.exists(name):
        name = default_storage.save(name, ContentFile(content))
    return {
        "document_file": name,
        "document_size": len(content),
        "document_sha256": hashlib.sha256(content).hexdigest(),
    }


def _texts(sno, service, office, steps, k, kind, message_kind):
    """The outbox text of one transition at step k, rendered by notifications.texts with
    sentinels for the number, the access token and the due date."""
    from notifications import texts
    from workflow.models import ServiceRequest

    if kind in ("submitted", "started") and k:
        return []
    if kind == "completed" and k != len(steps) - 1:
        return []
    if kind == "advanced" and k == len(steps) - 1:
        return []
    # The step a message names: the opened one for an advance, else the event's step.
    step = steps[k + 1] if kind == "advanced" else steps[k]
    status = {
        "submitted": "submitted",
        "returned": "needs_info",
        "completed": "completed",
        "rejected": "rejected",
        "cancelled": "cancelled",
    }.get(kind, "in_progress")
    request = ServiceRequest(
        service=service,
        office=office,
        registration_number=NUMBER,
        access_token=TOKEN,
        status=status,
        current_step=None if kind == "completed" else step,
        due_date=DUE,
    )
    language = texts.language_for(request)
    text, content_sid = texts.template_text(kind=message_kind, language=language, service=service)
    context = texts.context_for(
        request=request, step=step, note=NOTES.get(kind, ""), language=language
    )
    body = texts.render(text, context)
    variables = texts.content_variables(context, kind=message_kind)
    return [(sno, k, kind, message_kind, body, content_sid, json.dumps(variables))]
