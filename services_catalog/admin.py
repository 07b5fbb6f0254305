"""Catalogue management in the Django admin.

A service type is edited together with its form fields, required documents and ordered
steps. The entry is validated as a whole (`service_type_validate`) before anything is
saved, so the admin shows a clear error instead of storing a service with no steps,
repeated codes or gaps in the step numbering.
"""

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Count, F
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from config.forms import submitted
from organization.admin_scope import OfficeScopedAdmin

from .admin_forms import FormFieldInlineForm, RequiredDocumentInlineForm
from .exchange import service_type_export_yaml
from .loader import CatalogueFileError, catalogue_file_read, catalogue_import
from .models import FormField, RequiredDocument, ServiceType, Step
from .selectors import service_type_steps_over_limit
from .services import service_type_validate

MAX_CATALOGUE_FILE_BYTES = 2 * 1024 * 1024

# Added to the order of steps being renumbered, so a swap (1<->2) never meets the
# unique (service, order) constraint half-way through the save.
_RENUMBER_OFFSET = 10000


class CatalogueInlineFormSet(forms.BaseInlineFormSet):
    """Inline formset that knows its sibling inlines, so the last one can validate the
    whole entry. `siblings` is a dict shared by every formset of one admin request."""

    def __init__(self, *args, siblings=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.siblings = siblings if siblings is not None else {}
        self.siblings[self.model] = self

    def kept_instances(self):
        """The objects this formset would leave in place: unchanged and changed existing
        rows plus filled-in new rows, deleted ones excluded."""
        kept = []
        for form in self.forms:
            if not hasattr(form, "cleaned_data"):
                continue
            if self.can_delete and self._should_delete_form(form):
                continue
            if form.instance.pk is None and not form.has_changed():
                continue
            kept.append(form.instance)
        return kept


class StepInlineFormSet(CatalogueInlineFormSet):
    def clean(self):
        super().clean()
        parts = {FormField: [], RequiredDocument: [], Step: []}
        for model in parts:
            formset = self.siblings.get(model)
            if formset is None:
                # Not edited on this page (e.g. no permission): what is stored counts.
                stored = model.objects.filter(service=self.instance) if self.instance.pk else []
                parts[model] = list(stored)
                continue
            if formset is not self and not formset.is_valid():
                return  # that inline shows its own errors first
            parts[model] = formset.kept_instances()
        service_type_validate(
            fields=parts[FormField], documents=parts[RequiredDocument], steps=parts[Step]
        )


class StepInlineForm(forms.ModelForm):
    class Meta:
        model = Step
        fields = [
            "order",
            "name",
            "unit",
            "group",
            "sla_working_days",
            "may_return",
            "produces_result",
            "description",
        ]

    def validate_constraints(self):
        # The step numbering is checked across the submitted rows by the formset and by
        # service_type_validate; checking each row against the stored numbering would
        # refuse a simple reorder (1<->2).
        exclude = self._get_validation_exclusions() | {"order"}
        try:
            self.instance.validate_constraints(exclude=exclude)
        except ValidationError as e:
            self._update_errors(e)


class FormFieldInline(admin.TabularInline):
    model = FormField
    form = FormFieldInlineForm
    formset = CatalogueInlineFormSet
    extra = 0
    ordering = ["order", "id"]
    fields = ["order", "code", "label", "type", "required", "choices", "max_value", "help_text"]


class RequiredDocumentInline(admin.TabularInline):
    model = RequiredDocument
    form = RequiredDocumentInlineForm
    formset = CatalogueInlineFormSet
    extra = 0
    ordering = ["order", "id"]
    fields = ["order", "code", "label", "required", "content_types", "max_mb", "help_text"]


class StepInline(admin.StackedInline):
    model = Step
    form = StepInlineForm
    formset = StepInlineFormSet
    extra = 0
    ordering = ["order"]
    fields = [
        ("order", "name"),
        ("unit", "route", "group"),
        ("sla_working_days", "may_return", "produces_result"),
        "description",
    ]
    autocomplete_fields = ["unit"]


class CatalogueImportForm(forms.Form):
    file = forms.FileField(
        label=_("Catalogue file (YAML)"),
        help_text=_("The format is described in docs/CATALOGUE_FORMAT.md."),
        widget=forms.ClearableFileInput(attrs={"accept": ".yaml,.yml,application/yaml"}),
    )

    def clean_file(self):
        upload = self.cleaned_data["file"]
        if upload.size > MAX_CATALOGUE_FILE_BYTES:
            raise ValidationError(_("A catalogue file may be at most 2 MB."))
        return upload


@admin.register(ServiceType)
class ServiceTypeAdmin(OfficeScopedAdmin, admin.ModelAdmin):
    office_path = "unit__office"
    change_list_template = "admin/services_catalog/servicetype/change_list.html"
    list_display = [
        "name",
        "code",
        "unit",
        "sla_working_days",
        "fee",
        "step_count",
        "is_active",
        "display_order",
    ]
    list_editable = ["is_active", "display_order"]
    list_filter = ["is_active", "unit__office", "unit", "product_is_digital"]
    search_fields = ["code", "name", "description", "product", "synonyms"]
    list_select_related = ["unit__office"]
    autocomplete_fields = ["unit"]
    actions = ["export_catalogue"]

    @admin.action(description=_("Export the selected services as a catalogue file (YAML)"))
    def export_catalogue(self, request, queryset):
        """One file another office imports with `manage.py import_service` (units mapped)."""
        response = HttpResponse(
            service_type_export_yaml(services=list(queryset)),
            content_type="application/yaml; charset=utf-8",
        )
        response["Content-Disposition"] = 'attachment; filename="layanan.yaml"'
        return response

    prepopulated_fields = {"code": ["name"]}
    # Steps last: their formset validates the whole entry once the others are clean.
    inlines = [FormFieldInline, RequiredDocumentInline, StepInline]
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "code",
                    "name",
                    "description",
                    "synonyms",
                    "unit",
                    "audience",
                    "is_active",
                    "display_order",
                ]
            },
        ),  # fmt: skip
        (
            _("Service standard"),
            {
                "fields": [
                    "requirements",
                    "procedure",
                    "sla_working_days",
                    "correction_days",
                    "fee",
                    "product",
                    "product_is_digital",
                    "legal_basis",
                    "complaint_channel",
                ]
            },
        ),
    ]

    def get_queryset(self, request):
        return super().get_queryset(request).annotate(_step_count=Count("steps"))

    @admin.display(description=_("steps"), ordering="_step_count")
    def step_count(self, obj):
        return obj._step_count

    def get_formset_kwargs(self, request, obj, inline, prefix):
        kwargs = super().get_formset_kwargs(request, obj, inline, prefix)
        if not hasattr(request, "_catalogue_formsets"):
            request._catalogue_formsets = {}
        kwargs["siblings"] = request._catalogue_formsets
        return kwargs

    def render_change_form(self, request, context, *args, obj=None, **kwargs):
        # The whole-entry errors sit on the steps inline, far down the page: repeat them
        # at the top, where the admin says "please correct the errors below".
        steps = getattr(request, "_catalogue_formsets", {}).get(Step)
        if steps is not None and steps.is_bound:
            for error in steps.non_form_errors():
                messages.error(request, error)
        elif obj is not None and request.method == "GET":
            self._warn_if_steps_over_limit(request, obj)
        return super().render_change_form(request, context, *args, obj=obj, **kwargs)

    def save_related(self, request, form, formsets, change):
        super().save_related(request, form, formsets, change)
        if "_continue" not in request.POST:  # else the change form it returns to warns
            self._warn_if_steps_over_limit(request, form.instance)

    def _warn_if_steps_over_limit(self, request, service):
        total = service_type_steps_over_limit(service)
        if total is not None:
            messages.warning(
                request,
                _(
                    "The steps of %(service)s take %(total)d working days together, more "
                    "than its time limit of %(limit)d working days: citizens are promised "
                    "a date the procedure cannot keep. Shorten the steps or raise the limit."
                )
                % {"service": service, "total": total, "limit": service.sla_working_days},
            )

    def save_formset(self, request, form, formset, change):
        if formset.model is Step:
            moved = [
                f.instance.pk
                for f in formset.initial_forms
                if f.instance.pk and (formset._should_delete_form(f) or "order" in f.changed_data)
            ]
            Step.objects.filter(pk__in=moved).update(order=F("order") + _RENUMBER_OFFSET)
        super().save_formset(request, form, formset, change)

    def get_urls(self):
        view = self.admin_site.admin_view(self.import_view)
        importer = path("import/", view, name="services_catalog_servicetype_import")
        return [importer, *super().get_urls()]

    def import_view(self, request):
        """Import the services of a catalogue file through the one loader, all or nothing.
        The organisation sections are for `manage.py import_catalogue` (operators)."""
        # A catalogue file may name any office's units: superusers (operators) only.
        if not request.user.is_superuser:
            raise PermissionDenied
        form = CatalogueImportForm(*submitted(request))
        problems = []
        if request.method == "POST" and form.is_valid():
            try:
                document = catalogue_file_read(form.cleaned_data["file"])
                counts = catalogue_import(document=document, sections=("services",))
            except CatalogueFileError as exc:
                problems = exc.errors
            else:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d service imported.", "%(count)d services imported.",
                        counts["services"],
                    ) % {"count": counts["services"]},
                )  # fmt: skip
                return redirect("admin:services_catalog_servicetype_changelist")
        context = {
            **self.admin_site.each_context(request),
            "opts": self.model._meta,
            "title": _("Import a catalogue file"),
            "form": form,
            "problems": problems,
        }
        return TemplateResponse(request, "admin/services_catalog/servicetype/import.html", context)
