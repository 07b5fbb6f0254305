"""The result-letter panel on the staff request page (settings.STAFF_REQUEST_PANELS)."""

from django.template.loader import render_to_string

from organization.letterhead import qr_svg
from organization.models import StaffMembership
from workflow import selectors as workflow_selectors

from . import selectors, services
from .letters import verification_url


def letter_panel(http_request, service_request) -> str:
    documents = selectors.documents_of_request(service_request)
    task = workflow_selectors.open_task_of(service_request)
    template = None
    if task is not None and task.step.produces_result:
        works_there = StaffMembership.objects.filter(
            user=http_request.user,
            unit_id=task.unit_id,
            role__in=[StaffMembership.Role.STAFF, StaffMembership.Role.SUPERVISOR],
        ).exists()
        holder_ok = task.assigned_to_id in (None, http_request.user.pk)
        if works_there and holder_ok:
            template = services.template_for(service_request.service)
    if not documents and template is None:
        return ""
    return render_to_string(
        "documents/panel.html",
        {"issued": documents, "task": task, "template": template},
        request=http_request,
    )


def applicant_verification_panel(http_request, service_request) -> str:
    """On the applicant's own page, once completed: each issued result's verification code
    and QR code, to give whoever must check the document (a bank, an embassy)."""
    if service_request.status != "completed":
        return ""
    documents = [d for d in selectors.documents_of_request(service_request) if d.is_valid]
    if not documents:
        return ""
    items = [
        {"doc": d, "url": verification_url(d.code), "qr": qr_svg(verification_url(d.code))}
        for d in documents
    ]
    return render_to_string(
        "documents/applicant_panel.html", {"items": items}, request=http_request
    )
