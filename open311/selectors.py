"""What Open311 shows: the catalogue as services and definitions, requests without
anything personal (no name, phone, e-mail, NIK, form answers or free text)."""

import datetime

from django.db.models import Prefetch
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from organization.models import Office
from services_catalog.models import FormField, ServiceType
from workflow.models import FINAL_STATUSES, RequestStatus, ServiceRequest
from workflow.numbers import key_of

DATATYPES = {
    FormField.Type.TEXT: "string",
    FormField.Type.EMAIL: "string",
    FormField.Type.PHONE: "string",
    FormField.Type.TEXTAREA: "text",
    FormField.Type.NUMBER: "number",
    FormField.Type.DATE: "datetime",
    FormField.Type.CHOICE: "singlevaluelist",
}
OPEN = [s for s in RequestStatus.values if s not in FINAL_STATUSES]
MAX_RESULTS = 1000
MAX_RANGE = datetime.timedelta(days=90)


def jurisdiction(code: str) -> Office | None:
    return Office.objects.filter(code__iexact=code.strip()).first()


def services(office=None):
    qs = (
        ServiceType.objects.active()
        .select_related("unit__office")
        .prefetch_related("fields")
        .order_by("display_order", "name")
    )
    return qs.filter(unit__office=office) if office is not None else qs


def service_notice(service) -> str:
    days = ngettext(
        "Finished within %(n)d working day",
        "Finished within %(n)d working days",
        service.sla_working_days,
    ) % {"n": service.sla_working_days}
    fee = (
        _("free of charge")
        if not service.fee
        else _("fee Rp%(fee)s") % {"fee": f"{service.fee:,}".replace(",", ".")}
    )
    return f"{days}; {fee}."


def agency(service) -> str:
    return f"{service.unit.name}, {service.unit.office.name}"


def service_item(service) -> dict:
    return {
        "service_code": service.code,
        "service_name": service.name,
        "description": service.description,
        "metadata": bool(service.fields.all()),
        "type": "realtime",
        "keywords": service.unit.code,
        "group": service.unit.name,
    }


def service_definition(service) -> dict:
    attributes = []
    for order, field in enumerate(service.fields.all(), start=1):
        attribute = {
            "variable": True,
            "code": field.code,
            "datatype": DATATYPES.get(field.type, "string"),
            "required": field.required,
            "datatype_description": field.help_text,
            "order": order,
            "description": field.label,
        }
        if field.type == FormField.Type.CHOICE:
            attribute["values"] = [{"key": c, "name": c} for c in field.choices]
        attributes.append(attribute)
    return {"service_code": service.code, "attributes": attributes}


def _requests_queryset():
    return ServiceRequest.objects.select_related(
        "service__unit__office", "current_step"
    ).prefetch_related(Prefetch("service__steps"))


def request_item(request) -> dict:
    """One request as GeoReport shows it. Nothing personal: no applicant, no form data,
    no free text (the description, address and media stay empty)."""
    label = request.get_status_display()
    notes = (
        f"{label}: {request.current_step.name}"
        if (request.current_step and request.status not in FINAL_STATUSES)
        else str(label)
    )
    local = timezone.localtime
    due = datetime.datetime.combine(request.due_date, datetime.time(16, 0))
    return {
        "service_request_id": request.registration_number,
        "status": "closed" if request.status in FINAL_STATUSES else "open",
        "status_notes": notes,
        "service_name": request.service.name,
        "service_code": request.service.code,
        "description": "",
        "agency_responsible": agency(request.service),
        "service_notice": service_notice(request.service),
        "requested_datetime": local(request.submitted_at).isoformat(),
        "updated_datetime": local(request.updated_at).isoformat(),
        "expected_datetime": timezone.make_aware(due).isoformat(),
        "address": "",
        "address_id": "",
        "zipcode": "",
        "lat": "",
        "long": "",
        "media_url": "",
    }


def request_by_id(service_request_id: str, office=None) -> ServiceRequest | None:
    qs = _requests_queryset().filter(registration_key=key_of(service_request_id))
    return (qs.filter(office=office) if office is not None else qs).first()


def request_list(*, ids=None, service_codes=None, statuses=None, start=None, end=None, office=None):
    """GET requests: by ids (overrides the rest), else by service, status and
    requested_datetime range (default the last 90 days), newest first, at most 1000."""
    qs = _requests_queryset().order_by("-submitted_at", "-pk")
    if office is not None:
        qs = qs.filter(office=office)
    if ids:
        return list(qs.filter(registration_key__in=[key_of(i) for i in ids])[:MAX_RESULTS])
    if service_codes:
        qs = qs.filter(service__code__in=service_codes)
    if statuses:
        wanted = set()
        if "open" in statuses:
            wanted |= set(OPEN)
        if "closed" in statuses:
            wanted |= set(FINAL_STATUSES)
        qs = qs.filter(status__in=wanted)
    end = end or timezone.now()
    start = start or end - MAX_RANGE
    return list(qs.filter(submitted_at__gte=start, submitted_at__lte=end)[:MAX_RESULTS])
