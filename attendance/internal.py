"""The employee's internal services page (/staf/presensi/layanan/): the catalogue's
services for employees, a form built from each service's fields, and the employee's own
requests. Submitting calls the workflow's `service_request_submit` like every channel."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from config.exceptions import ApplicationError, form_add_errors
from services_catalog.models import FormField, ServiceType
from workflow import services as workflow_services
from workflow.models import ServiceRequest

from . import selectors
from .views import _me

WIDGETS = {
    FormField.Type.TEXTAREA: lambda: forms.Textarea(attrs={"rows": 3}),
    FormField.Type.DATE: lambda: forms.DateInput(attrs={"type": "date"}),
    FormField.Type.NUMBER: lambda: forms.TextInput(attrs={"inputmode": "decimal"}),
    FormField.Type.EMAIL: lambda: forms.EmailInput(),
    FormField.Type.PHONE: lambda: forms.TextInput(attrs={"type": "tel"}),
}


def _form_for(service, data=None) -> forms.Form:
    """Only renders and collects: the workflow's validation decides."""
    form = forms.Form(data)
    for field in service.fields.all():
        if field.type == FormField.Type.CHOICE:
            form.fields[field.code] = forms.ChoiceField(
                label=field.label,
                required=False,
                help_text=field.help_text,
                choices=[("", "—")] + [(c, c) for c in field.choices or []],
            )
        else:
            form.fields[field.code] = forms.CharField(
                label=field.label,
                required=False,
                help_text=field.help_text,
                widget=WIDGETS.get(field.type, forms.TextInput)(),
            )
        form.fields[field.code].is_required = field.required
    return form


def _employee_services():
    return ServiceType.objects.active().filter(audience=ServiceType.Audience.EMPLOYEES)


@login_required
@require_http_methods(["GET"])
def internal_services(request):
    employee = _me(request)
    mine = (
        ServiceRequest.objects.filter(applicant_user=request.user)
        .select_related("service", "current_step")
        .order_by("-submitted_at")[:50]
    )
    return render(
        request,
        "attendance/internal_services.html",
        {
            "services": _employee_services(),
            "requests": mine,
            "balance": selectors.leave_balance(employee=employee, year=timezone.localdate().year),
            "nav": "internal",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def internal_apply(request, code):
    employee = _me(request)
    service = get_object_or_404(_employee_services().prefetch_related("fields"), code=code)
    form = _form_for(service, request.POST or None)
    status = 200
    if request.method == "POST":
        form.is_valid()
        data = {k: v for k, v in form.cleaned_data.items() if v not in (None, "")}
        try:
            created = workflow_services.service_request_submit(
                service=service,
                applicant=None,
                data=data,
                documents={},
                acting_user=request.user,
            )
        except ApplicationError as exc:
            form_add_errors(form, exc)
            status = exc.status_code
        else:
            messages.success(
                request,
                _("Your request %(number)s was sent.") % {"number": created.registration_number},
            )
            return redirect("attendance:internal")
    balance = None
    if hasattr(service, "leave_service") and service.leave_service.annual_days:
        balance = selectors.leave_balance(employee=employee, year=timezone.localdate().year)
    return render(
        request,
        "attendance/internal_apply.html",
        {
            "service": service,
            "form": form,
            "balance": balance,
            "nav": "internal",
        },
        status=status,
    )
