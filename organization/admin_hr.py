"""HR's Excel/CSV import and export of offices, units, positions and employees in the
admin (django-import-export): upload, a preview of every row (new, changed, unchanged,
or its errors), then confirm. A file with any bad row imports nothing.

Who: a superuser, or personnel staff (role `hr`) of an office with the model's add and
change permissions (export: view), reaching only their own office (organization.hr_exchange).
"""

from django.core.exceptions import ValidationError
from django.utils.translation import gettext_lazy as _
from import_export.admin import ImportExportMixin
from import_export.formats import base_formats
from import_export.forms import ImportForm

from .hr_exchange import HR_RESOURCES
from .selectors import hr_office_ids

MAX_HR_FILE_BYTES = 5 * 1024 * 1024


class HrImportForm(ImportForm):
    def clean_import_file(self):
        upload = self.cleaned_data["import_file"]
        if upload.size > MAX_HR_FILE_BYTES:
            raise ValidationError(_("An import file may be at most 5 MB."))
        return upload


def _hr_scope(request):
    """None for a superuser, else the offices whose personnel section the user works in."""
    return None if request.user.is_superuser else hr_office_ids(request.user)


class HrImportExportAdmin(ImportExportMixin):
    formats = [base_formats.XLSX, base_formats.CSV]
    import_form_class = HrImportForm
    import_error_display = ("message",)

    def get_resource_classes(self, request):
        return [HR_RESOURCES[self.model]]

    def get_resource_kwargs(self, request, *args, **kwargs):
        return {"office_ids": _hr_scope(request)}

    def has_import_permission(self, request):
        scope = _hr_scope(request)
        return (scope is None or bool(scope)) and (
            self.has_add_permission(request) and self.has_change_permission(request)
        )

    def has_export_permission(self, request):
        scope = _hr_scope(request)
        return (scope is None or bool(scope)) and self.has_view_permission(request)

    def get_export_filename(self, request, queryset, file_format):
        name = str(self.model._meta.verbose_name_plural).replace(" ", "-")
        return f"{name}.{file_format.get_extension()}"
