"""Offices, units, positions and employees as Excel/CSV sheets for HR (django-import-export).

Columns carry natural keys, never database ids, so a sheet exported here imports into
another installation: an office by its code, a unit by office code + unit code, a
position by office + unit + name (as the catalogue files name them), an employee by NIP.
Every row is checked as the admin checks an entry (the model's `full_clean`: NIP by its
validator, the phone normalised to E.164 by `Employee.clean`); the admin imports a file
only when no row has an error, in one transaction. A personnel administrator who is not
a superuser reaches only their own office: a row of another office is an error, naming it.
"""

import datetime

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from import_export import fields, resources, widgets

from .models import Employee, Golongan, Office, Position, Unit
from .phones import phone_e164
from .services import employee_position_set

ISO_DATE = "%Y-%m-%d"


class _Scoped:
    """Resources built for one user: `office_ids` None (superuser) or the offices allowed."""

    def __init__(self, *, office_ids=None, **kwargs):
        super().__init__(**kwargs)
        self.office_ids = office_ids

    def get_instance(self, instance_loader, row):
        # A key that names nothing is this row's error, listed with every other row's
        # (an exception would hide the other rows' validation errors).
        try:
            return super().get_instance(instance_loader, row)
        except ValueError as exc:
            raise ValidationError(str(exc)) from None

    def office_of(self, code, *, column):
        code = (code or "").strip()
        office = Office.objects.filter(code=code).first()
        if office is None:
            message = _("%(column)s: no office with code %(code)r.")
            raise ValueError(message % {"column": column, "code": code})
        if self.office_ids is not None and office.pk not in self.office_ids:
            raise ValueError(
                _("%(column)s: office %(code)s is not an office you manage.")
                % {"column": column, "code": code}
            )
        return office

    def unit_of(self, office_code, unit_code, *, column):
        office = self.office_of(office_code, column=column)
        unit = Unit.objects.filter(office=office, code=(unit_code or "").strip()).first()
        if unit is None:
            raise ValueError(
                _("%(column)s: office %(office)s has no unit with code %(code)r.")
                % {"column": column, "office": office.code, "code": unit_code}
            )
        return unit

    def position_of(self, office_code, unit_code, name, *, column):
        unit = self.unit_of(office_code, unit_code, column=column)
        found = list(Position.objects.filter(unit=unit, name=(name or "").strip())[:2])
        if len(found) != 1:
            message = (
                _("%(column)s: unit %(unit)s has no position named %(name)r.")
                if not found
                else _("%(column)s: unit %(unit)s has two positions named %(name)r.")
            )
            raise ValueError(message % {"column": column, "unit": unit, "name": name})
        return found[0]


class _RowWidget(widgets.Widget):
    """A widget whose value is found from several columns of the row (a natural key)."""

    def __init__(self, find, render):
        super().__init__()
        self.find, self.render_value = find, render

    def clean(self, value, row=None, **kwargs):
        return self.find(value, row or {})

    def render(self, value, obj=None, **kwargs):
        return self.render_value(value) if value is not None else ""


class _Flag(widgets.BooleanWidget):
    TRUE_VALUES = ["1", 1, True, "true", "TRUE", "True", "ya", "Ya", "YA", "y"]
    FALSE_VALUES = ["0", 0, False, "false", "FALSE", "False", "tidak", "Tidak", "TIDAK", "n"]

    def render(self, value, obj=None, **kwargs):
        return "ya" if value else "tidak"


class _Golongan(widgets.Widget):
    """III/a as people write it (the stored value is SIASN's code, 31)."""

    BY_LABEL = {label.upper(): code for code, label in Golongan.choices}

    def clean(self, value, row=None, **kwargs):
        text = str(value or "").strip().upper()
        if not text:
            return ""
        code = self.BY_LABEL.get(text) or (text if text in Golongan.values else None)
        if code is None:
            message = _("%(value)r is not a rank (golongan), e.g. III/a.")
            raise ValueError(message % {"value": value})
        return code

    def render(self, value, obj=None, **kwargs):
        return Golongan(value).label if value else ""


class _Text(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return "" if value is None else str(value).strip()


class _Phone(_Text):
    """Read as people type it; E.164 by the one rule (organization.phones) so that a
    re-import of the same number is "unchanged". An unreadable one stays as typed and
    `Employee.clean` reports it."""

    def clean(self, value, row=None, **kwargs):
        text = super().clean(value, row, **kwargs)
        return (phone_e164(text) or text) if text else ""


class OfficeResource(_Scoped, resources.ModelResource):
    code = fields.Field("code", "kode", widget=_Text())
    name = fields.Field("name", "nama", widget=_Text())
    kind = fields.Field("kind", "jenis", widget=_Text())
    parent = fields.Field("parent", "kode_kantor_induk")
    city = fields.Field("city", "kota", widget=_Text())
    siasn_unor_id = fields.Field("siasn_unor_id", "siasn_unor_id", widget=_Text())

    class Meta:
        model = Office
        name = _("Offices")
        fields = ["code", "name", "kind", "parent", "city", "siasn_unor_id"]
        import_id_fields = ["code"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["parent"].widget = _RowWidget(
            lambda v, row: (
                (Office.objects.filter(code=str(v).strip()).first() or _missing_parent(v))
                if str(v or "").strip()
                else None
            ),
            lambda office: office.code,
        )

    def after_init_instance(self, instance, new, row, **kwargs):
        if self.office_ids is None:
            return
        if new:
            raise ValidationError(_("Only a superuser may add an office."))
        if instance.pk not in self.office_ids:
            raise ValidationError(_("Office %(code)s is not an office you manage.") % {
                "code": instance.code})  # fmt: skip


def _missing_parent(code):
    raise ValueError(_("kode_kantor_induk: no office with code %(code)r.") % {"code": code})


class UnitResource(_Scoped, resources.ModelResource):
    office = fields.Field("office", "kode_kantor")
    code = fields.Field("code", "kode", widget=_Text())
    name = fields.Field("name", "nama", widget=_Text())
    kind = fields.Field("kind", "jenis", widget=_Text())
    siasn_unor_id = fields.Field("siasn_unor_id", "siasn_unor_id", widget=_Text())

    class Meta:
        model = Unit
        name = _("Units")
        fields = ["office", "code", "name", "kind", "siasn_unor_id"]
        import_id_fields = ["office", "code"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["office"].widget = _RowWidget(
            lambda v, row: self.office_of(v, column="kode_kantor"), lambda office: office.code
        )


class PositionResource(_Scoped, resources.ModelResource):
    office = fields.Field("unit__office__code", "kode_kantor", readonly=True)
    unit = fields.Field("unit", "kode_unit")
    name = fields.Field("name", "nama", widget=_Text())
    kind = fields.Field("kind", "jenis", widget=_Text())
    is_head = fields.Field("is_head", "pimpinan", widget=_Flag())
    superior_office = fields.Field("superior__unit__office__code", "atasan_kantor", readonly=True)
    superior_unit = fields.Field("superior__unit__code", "atasan_unit", readonly=True)
    superior = fields.Field("superior", "atasan_nama")

    class Meta:
        model = Position
        name = _("Positions")
        fields = [
            "office", "unit", "name", "kind", "is_head",
            "superior_office", "superior_unit", "superior",
        ]  # fmt: skip
        import_id_fields = ["unit", "name"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def __init__(self, **kwargs):
        super().__init__(**kwargs)
        self.fields["unit"].widget = _RowWidget(
            lambda v, row: self.unit_of(row.get("kode_kantor"), v, column="kode_unit"),
            lambda unit: unit.code,
        )
        # A superior may be in the office above (Kepala Kantor -> Kepala Kanwil): looked up
        # anywhere, since naming it changes nothing there.
        self.fields["superior"].widget = _RowWidget(self._superior, lambda p: p.name)

    def _superior(self, name, row):
        if not str(name or "").strip():
            return None
        scoped, self.office_ids = self.office_ids, None
        try:
            return self.position_of(
                row.get("atasan_kantor"), row.get("atasan_unit"), name, column="atasan_nama"
            )
        finally:
            self.office_ids = scoped


class EmployeeResource(_Scoped, resources.ModelResource):
    nip = fields.Field("nip", "nip", widget=_Text())
    name = fields.Field("name", "nama", widget=_Text())
    email = fields.Field("email", "email", widget=_Text())
    phone = fields.Field("phone", "telepon", widget=_Phone())
    golongan = fields.Field("golongan", "golongan", widget=_Golongan())
    golongan_tmt = fields.Field("golongan_tmt", "tmt_golongan", widget=widgets.DateWidget(ISO_DATE))
    kedudukan = fields.Field("kedudukan", "kedudukan", widget=_Text())
    # The position held now (its definitive holding), by natural key; export-only columns
    # are filled by `dehydrate_*`, import reads them in `after_save_instance`.
    position_office = fields.Field(column_name="jabatan_kantor")
    position_unit = fields.Field(column_name="jabatan_unit")
    position_name = fields.Field(column_name="jabatan_nama")
    position_since = fields.Field(column_name="mulai_menjabat")

    class Meta:
        model = Employee
        name = _("Employees")
        fields = [
            "nip", "name", "email", "phone", "golongan", "golongan_tmt", "kedudukan",
            "position_office", "position_unit", "position_name", "position_since",
        ]  # fmt: skip
        import_id_fields = ["nip"]
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True

    def get_queryset(self):
        return super().get_queryset().prefetch_related("holdings__position__unit__office")

    @staticmethod
    def _holding(employee):
        today = datetime.date.today()
        current = [h for h in employee.holdings.all() if h.end_date is None or h.end_date >= today]
        return max(current, key=lambda h: h.start_date) if current else None

    def dehydrate_position_office(self, employee):
        holding = self._holding(employee)
        return holding.position.unit.office.code if holding else ""

    def dehydrate_position_unit(self, employee):
        holding = self._holding(employee)
        return holding.position.unit.code if holding else ""

    def dehydrate_position_name(self, employee):
        holding = self._holding(employee)
        return holding.position.name if holding else ""

    def dehydrate_position_since(self, employee):
        holding = self._holding(employee)
        return holding.start_date.isoformat() if holding else ""

    def _row_position(self, row):
        """(position, since) named by the row, or None when the row names none."""
        name = str(row.get("jabatan_nama") or "").strip()
        if not name:
            if self.office_ids is not None:
                raise ValidationError(
                    {"jabatan_nama": _("Name the employee's position in your office.")}
                )
            return None
        try:
            position = self.position_of(
                row.get("jabatan_kantor"), row.get("jabatan_unit"), name, column="jabatan"
            )
            since = widgets.DateWidget(ISO_DATE).clean(row.get("mulai_menjabat")) or None
        except ValueError as exc:
            raise ValidationError({"jabatan_nama": str(exc)}) from None
        if since is None:
            raise ValidationError({"mulai_menjabat": _("Give the date the position was taken.")})
        return position, since

    def after_init_instance(self, instance, new, row, **kwargs):
        # An existing employee outside the user's offices is not theirs to change.
        if not new and self.office_ids is not None:
            from .admin_scope import employees_of_offices

            if not employees_of_offices(self.office_ids).filter(pk=instance.pk).exists():
                raise ValidationError(
                    {"nip": _("This NIP belongs to an employee of another office.")}
                )
        row["_position"] = self._row_position(row)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        named = row.get("_position")
        holding = self._holding(original) if original and original.pk else None
        same_position = named is None or (
            holding is not None
            and (holding.position_id, holding.start_date) == (named[0].pk, named[1])
        )
        return same_position and super().skip_row(instance, original, row, import_validation_errors)

    def after_save_instance(self, instance, row, **kwargs):
        named = row.get("_position")
        if named is not None:
            employee_position_set(employee=instance, position=named[0], since=named[1])

    def import_row(self, row, instance_loader, **kwargs):
        result = super().import_row(row, instance_loader, **kwargs)
        row.pop("_position", None)
        return result


HR_RESOURCES = {
    Office: OfficeResource,
    Unit: UnitResource,
    Position: PositionResource,
    Employee: EmployeeResource,
}
