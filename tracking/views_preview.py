"""The admin's read-only preview of a service's public page and form: what a citizen will
see, for a service not yet active too. Nothing can be submitted from it."""

from django.contrib.admin.views.decorators import staff_member_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_GET

from organization.selectors import administered_office_ids
from services_catalog.models import ServiceType

from . import receipts
from .forms import ApplicationForm


@require_GET
@staff_member_required
def service_preview(request, code):
    if not request.user.has_perm("services_catalog.view_servicetype"):
        raise PermissionDenied
    service = get_object_or_404(ServiceType.objects.with_catalogue(), code=code)
    offices = administered_office_ids(request.user)
    if offices is not None and service.unit.office_id not in offices:
        raise PermissionDenied
    context = {
        "service": service,
        "steps": list(service.steps.all()),
        "fee": receipts.rupiah(service.fee),
        "form": ApplicationForm(service=service),
        "admin_url": reverse("admin:services_catalog_servicetype_change", args=[service.pk]),
    }
    return render(request, "tracking/service_preview.html", context)
