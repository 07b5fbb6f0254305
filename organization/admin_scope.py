"""The admin of an office administrator (or its personnel section) shows and offers only
what belongs to their office; a superuser sees every office.

`office_path` names the lookup from the model to its office ("" for Office itself).
Lists, change pages (a foreign office's object is "not found"), autocomplete and the
choices of every office, unit, position and employee select are filtered alike.
"""

from django.db.models import Exists, OuterRef

from .models import Employee, Office, Position, PositionHolding, Unit
from .selectors import administered_office_ids


def _offices_of(request):
    if not hasattr(request, "_administered_office_ids"):
        request._administered_office_ids = administered_office_ids(request.user)
    return request._administered_office_ids


def employees_of_offices(office_ids):
    """Employees who hold (or held) a position in one of the offices."""
    held = PositionHolding.objects.filter(
        employee=OuterRef("pk"), position__unit__office_id__in=office_ids
    )
    return Employee.objects.filter(Exists(held))


def scope_queryset(queryset, office_ids, office_path):
    if office_ids is None:
        return queryset
    if queryset.model is Employee:
        return queryset.filter(pk__in=employees_of_offices(office_ids).values("pk"))
    lookup = f"{office_path}__id__in" if office_path else "id__in"
    return queryset.filter(**{lookup: office_ids})


_PATHS = {Office: "", Unit: "office", Position: "unit__office", Employee: None}


class OfficeScopedAdmin:
    office_path = ""

    def get_queryset(self, request):
        return scope_queryset(super().get_queryset(request), _offices_of(request), self.office_path)

    def formfield_for_foreignkey(self, db_field, request, **kwargs):
        field = super().formfield_for_foreignkey(db_field, request, **kwargs)
        model = db_field.related_model
        if field is not None and model in _PATHS and _offices_of(request) is not None:
            field.queryset = scope_queryset(field.queryset, _offices_of(request), _PATHS[model])
        return field

    def has_add_permission(self, request, *args):
        # Someone with no office to manage may add nothing (a superuser has all).
        return super().has_add_permission(request, *args) and _offices_of(request) != set()
