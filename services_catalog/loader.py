"""The one loader of catalogue files (YAML): the demo data, `manage.py import_catalogue`
and the admin's "import a catalogue" page all go through `catalogue_import`.

The format is documented in docs/CATALOGUE_FORMAT.md. A file holds any of these sections,
loaded in this order: `offices` (with their `units`), `positions`, `employees`, `acting`,
`services` (with `defaults` applied to each). Everything is keyed on natural keys (office
code, unit code, position name within its unit, NIP, service code, field/document code,
step order), so importing a file twice changes nothing.

An import is all or nothing: every entry is checked as a whole, the way the admin checks
it (`full_clean` on each row and `service_type_validate` on a service with its fields,
documents and steps), every problem is collected with where it is, and if there is one
the transaction is rolled back and `CatalogueFileError` lists them all.
"""

import datetime
import re
from collections.abc import Iterable

import yaml
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from organization.models import ActingAssignment, Employee, Office, Position, PositionHolding, Unit
from organization.services import acting_assignment_create

from .models import FormField, RequiredDocument, ServiceType, Step
from .services import service_type_validate

FORMATS = {"alur-catalogue/1", "alur-organisation/1"}
SECTIONS = ("offices", "positions", "employees", "acting", "services")
_RELATIVE_DAY = re.compile(r"^today\s*(?:([+-])\s*(\d+))?$")

OFFICE_KEYS = {"code", "name", "kind", "parent", "city", "address", "phone", "units"}
UNIT_KEYS = {"code", "name", "kind"}
POSITION_KEYS = {"key", "unit", "name", "kind", "superior", "is_head"}
EMPLOYEE_KEYS = {"nip", "name", "email", "phone", "user", "holds", "since"}
ACTING_KEYS = {"position", "nip", "kind", "decree_number", "start_date", "end_date"}
SERVICE_KEYS = {
    "code", "name", "unit", "description", "is_active", "requirements", "procedure",
    "sla_working_days", "fee", "product", "product_is_digital", "legal_basis",
    "complaint_channel", "display_order", "synonyms", "fields", "documents", "steps",
    "audience",
}  # fmt: skip
FIELD_KEYS = {"code", "label", "type", "required", "choices", "help_text", "max_value"}
DOCUMENT_KEYS = {"code", "label", "required", "content_types", "max_bytes", "help_text"}
STEP_KEYS = {
    "name", "unit", "group", "sla_working_days", "may_return", "produces_result", "description",
    "route",
}  # fmt: skip


class CatalogueFileError(Exception):
    """The file cannot be imported; `errors` lists every problem as "where: what"."""

    def __init__(self, errors: list[str]):
        self.errors = errors
        super().__init__("\n".join(errors))


def catalogue_file_read(stream) -> dict:
    """Parse a catalogue file (bytes, text or a file object) into its document. Only
    plain YAML data is read (`safe_load`: no tags that build objects)."""
    try:
        document = yaml.safe_load(stream)
    except yaml.YAMLError as exc:
        raise CatalogueFileError([_("The file is not valid YAML: %s") % exc]) from None
    except UnicodeDecodeError:
        raise CatalogueFileError([_("The file is not UTF-8 text.")]) from None
    if not isinstance(document, dict):
        raise CatalogueFileError([_("The file must be a mapping of sections.")])
    if document.get("format") not in FORMATS:
        raise CatalogueFileError(
            [_("Unknown format %(got)r; expected one of: %(known)s.")
             % {"got": document.get("format"), "known": ", ".join(sorted(FORMATS))}]
        )  # fmt: skip
    unknown = set(document) - {"format", "defaults", *SECTIONS}
    if unknown:
        raise CatalogueFileError([_("Unknown sections: %s.") % ", ".join(sorted(unknown))])
    return document


def catalogue_import(
    *, document: dict, today: datetime.date | None = None, sections: Iterable[str] = SECTIONS
) -> dict:
    """Import `document` (see `catalogue_file_read`), all or nothing. Returns row counts
    per section. `sections` limits what may be imported (the admin page: services only)."""
    extra = [s for s in SECTIONS if document.get(s) and s not in sections]
    if extra:
        raise CatalogueFileError(
            [_("This import accepts only: %(allowed)s; the file has: %(extra)s.")
             % {"allowed": ", ".join(sections), "extra": ", ".join(extra)}]
        )  # fmt: skip
    loader = _Loader(today=today or timezone.localdate())
    with transaction.atomic():  # rolled back by the error: nothing half-imported
        counts = loader.run(document)
        if loader.errors:
            raise CatalogueFileError(loader.errors)
    return counts


class _Loader:
    def __init__(self, *, today):
        self.today = today
        self.errors: list[str] = []
        self.offices: dict[str, Office] = {}
        self.units: dict[str, Unit] = {}
        self.positions: dict[str, Position] = {}
        self.employees: dict[str, Employee] = {}

    def run(self, document: dict) -> dict:
        counts = {}
        for section in SECTIONS:
            entries = document.get(section) or []
            if not isinstance(entries, list):
                self.error(section, _("must be a list"))
                continue
            load = getattr(self, f"_{section}")
            for i, entry in enumerate(entries):
                where = f"{section}[{i + 1}]"
                if isinstance(entry, dict) and (entry.get("code") or entry.get("key")):
                    where += f" ({entry.get('code') or entry.get('key')})"
                if not isinstance(entry, dict):
                    self.error(where, _("must be a mapping"))
                    continue
                if section == "services":
                    entry = {**(document.get("defaults") or {}), **entry}
                    entry.setdefault("display_order", i + 1)
                load(entry, where)
            counts[section] = len(entries)
        counts["units"] = len(self.units)
        return counts

    # --- helpers ---------------------------------------------------------------------

    def error(self, where: str, message) -> None:
        self.errors.append(f"{where}: {message}")

    def check_keys(self, entry: dict, allowed: set, where: str) -> bool:
        unknown = set(entry) - allowed
        if unknown:
            self.error(where, _("unknown keys: %s") % ", ".join(sorted(map(str, unknown))))
        return not unknown

    def clean(self, obj, where: str, exclude=()) -> bool:
        try:
            obj.full_clean(exclude=list(exclude))
        except ValidationError as exc:
            for field, messages in exc.message_dict.items():
                prefix = "" if field == "__all__" else f"{field}: "
                for message in messages:
                    self.error(where, prefix + message)
            return False
        return True

    def unit(self, ref, where: str) -> Unit | None:
        """A unit written `OFFICE/unit`, from this file or the database."""
        if ref in self.units:
            return self.units[ref]
        office, _sep, code = str(ref or "").partition("/")
        unit = Unit.objects.select_related("office").filter(office__code=office, code=code).first()
        if unit is None:
            self.error(where, _("unknown unit %r (write OFFICE/unit, e.g. KJB/ptsp)") % ref)
        else:
            self.units[ref] = unit
        return unit

    def day(self, value, where: str) -> datetime.date | None:
        """A date: ISO `2026-01-31` or relative to the import day, `today-30`, `today+150`."""
        if isinstance(value, datetime.date):
            return value
        match = _RELATIVE_DAY.match(str(value or "").strip())
        if match:
            sign, days = match.groups()
            delta = datetime.timedelta(days=int(days or 0))
            return self.today - delta if sign == "-" else self.today + delta
        try:
            return datetime.date.fromisoformat(str(value))
        except ValueError:
            self.error(where, _("%r is not a date (YYYY-MM-DD or today±N)") % value)
            return None

    def assign(self, obj, entry: dict, keys: Iterable[str]) -> None:
        """Set `keys` from the entry; a key the entry leaves out gets the model's default
        (the file is the whole truth about what it lists)."""
        for key in keys:
            field = obj._meta.get_field(key)
            value = entry[key] if key in entry else field.get_default()
            if value is None and field.empty_strings_allowed and not field.null:
                value = ""
            setattr(obj, key, value)

    # --- organisation ----------------------------------------------------------------

    def _offices(self, entry: dict, where: str) -> None:
        if not self.check_keys(entry, OFFICE_KEYS, where):
            return
        office = Office.objects.filter(code=entry.get("code")).first() or Office()
        self.assign(office, entry, ["code", "name", "kind", "city", "address", "phone"])
        parent = entry.get("parent")
        office.parent = None
        if parent:
            office.parent = self.offices.get(parent) or Office.objects.filter(code=parent).first()
            if office.parent is None:
                self.error(where, _("unknown parent office %r") % parent)
                return
        if not self.clean(office, where):
            return
        office.save()
        self.offices[office.code] = office
        for j, data in enumerate(entry.get("units") or [], start=1):
            unit_where = f"{where}.units[{j}]"
            if not isinstance(data, dict) or not self.check_keys(data, UNIT_KEYS, unit_where):
                continue
            unit = Unit.objects.filter(office=office, code=data.get("code")).first()
            unit = unit or Unit(office=office)
            self.assign(unit, data, ["code", "name", "kind"])
            if self.clean(unit, unit_where):
                unit.save()
                self.units[f"{office.code}/{unit.code}"] = unit

    def _positions(self, entry: dict, where: str) -> None:
        if not self.check_keys(entry, POSITION_KEYS, where):
            return
        unit = self.unit(entry.get("unit"), where)
        if unit is None:
            return
        position = Position.objects.filter(unit=unit, name=entry.get("name")).first()
        position = position or Position(unit=unit)
        self.assign(position, entry, ["name", "kind", "is_head"])
        superior = entry.get("superior")
        position.superior = self.positions.get(superior) if superior else None
        if superior and position.superior is None:
            self.error(where, _("superior %r must be a position listed before it") % superior)
            return
        if self.clean(position, where):
            position.save()
            self.positions[entry.get("key") or f"{unit}/{position.name}"] = position

    def _employees(self, entry: dict, where: str) -> None:
        if not self.check_keys(entry, EMPLOYEE_KEYS, where):
            return
        employee = Employee.objects.filter(nip=entry.get("nip")).first() or Employee()
        self.assign(employee, entry, ["nip", "name", "email", "phone"])
        username = entry.get("user")
        employee.user = None
        if username:
            employee.user = get_user_model().objects.filter(username=username).first()
            if employee.user is None:
                self.error(where, _("unknown user %r") % username)
                return
        if not self.clean(employee, where):
            return
        employee.save()
        self.employees[employee.nip] = employee
        if entry.get("holds"):
            position = self.positions.get(entry["holds"])
            since = self.day(entry.get("since", "today"), where)
            if position is None:
                self.error(where, _("unknown position %r") % entry["holds"])
            elif since is not None:
                holding = PositionHolding.objects.filter(employee=employee, position=position)
                holding = holding.first() or PositionHolding(employee=employee, position=position)
                holding.start_date, holding.end_date = since, None
                if self.clean(holding, where):
                    holding.save()

    def _acting(self, entry: dict, where: str) -> None:
        if not self.check_keys(entry, ACTING_KEYS, where):
            return
        position = self.positions.get(entry.get("position"))
        employee = self.employees.get(entry.get("nip"))
        employee = employee or Employee.objects.filter(nip=entry.get("nip")).first()
        start = self.day(entry.get("start_date"), where)
        end = self.day(entry.get("end_date"), where)
        if position is None or employee is None:
            self.error(where, _("needs a position of this file and a known NIP"))
            return
        if start is None or end is None:
            return
        kind = entry.get("kind") or ActingAssignment.Kind.PLT
        decree = entry.get("decree_number") or ""
        acting = ActingAssignment.objects.filter(position=position, decree_number=decree).first()
        try:
            if acting is None:
                acting_assignment_create(
                    employee=employee, position=position, kind=kind,
                    start_date=start, end_date=end, decree_number=decree,
                )  # fmt: skip
            elif (acting.employee_id, acting.kind, acting.start_date, acting.end_date) != (
                employee.pk, kind, start, end,
            ):  # fmt: skip
                acting.employee, acting.kind = employee, kind
                acting.start_date, acting.end_date = start, end
                if self.clean(acting, where):
                    acting.save(update_fields=["employee", "kind", "start_date", "end_date"])
        except ValidationError as exc:
            for message in exc.messages:
                self.error(where, message)

    # --- catalogue -------------------------------------------------------------------

    def _services(self, entry: dict, where: str) -> None:
        if not self.check_keys(entry, SERVICE_KEYS, where):
            return
        unit = self.unit(entry.get("unit"), where)
        if unit is None:
            return
        service = ServiceType.objects.filter(code=entry.get("code")).first() or ServiceType()
        self.assign(service, entry, SERVICE_KEYS - {"unit", "fields", "documents", "steps"})
        service.unit = unit
        ok = self.clean(service, where)
        old_fields = {f.code: f for f in service.fields.all()} if service.pk else {}
        old_documents = {d.code: d for d in service.documents.all()} if service.pk else {}
        old_steps = {s.order: s for s in service.steps.all()} if service.pk else {}
        parts = {"fields": [], "documents": [], "steps": []}
        specs = [
            ("fields", FIELD_KEYS, FormField, old_fields),
            ("documents", DOCUMENT_KEYS, RequiredDocument, old_documents),
        ]
        for name, keys, model, old in specs:
            for i, data in enumerate(entry.get(name) or [], start=1):
                part_where = f"{where}.{name}[{i}]"
                if not isinstance(data, dict) or not self.check_keys(data, keys, part_where):
                    ok = False
                    continue
                obj = old.get(data.get("code")) or model(service=service)
                self.assign(obj, data, keys)
                obj.order = i
                ok = self.clean(obj, part_where, exclude=["service"]) and ok
                parts[name].append(obj)
        for order, data in enumerate(entry.get("steps") or [], start=1):
            part_where = f"{where}.steps[{order}]"
            if not isinstance(data, dict) or not self.check_keys(data, STEP_KEYS, part_where):
                ok = False
                continue
            step = old_steps.get(order) or Step(service=service)
            self.assign(step, data, STEP_KEYS - {"unit", "group"})
            step.order = order
            step.unit = self.unit(data.get("unit"), part_where)
            step.group = None
            if data.get("group"):
                step.group = Group.objects.filter(name=data["group"]).first()
                if step.group is None:
                    self.error(part_where, _("unknown staff group %r") % data["group"])
                    ok = False
            if step.unit is None:
                ok = False
                continue
            ok = self.clean(step, part_where, exclude=["service"]) and ok
            parts["steps"].append(step)
        try:
            service_type_validate(**parts)
        except ValidationError as exc:
            ok = False
            for message in exc.messages:
                self.error(where, message)
        if ok:
            self._service_save(service, parts, where)

    def _service_save(self, service: ServiceType, parts: dict, where: str) -> None:
        service.save()
        try:
            with transaction.atomic():
                service.fields.exclude(code__in=[f.code for f in parts["fields"]]).delete()
                service.documents.exclude(code__in=[d.code for d in parts["documents"]]).delete()
                service.steps.filter(order__gt=len(parts["steps"])).delete()
        except ProtectedError:
            self.error(where, _("a step that requests have used cannot be removed"))
            return
        for obj in [*parts["fields"], *parts["documents"], *parts["steps"]]:
            obj.service = service
            obj.save()
