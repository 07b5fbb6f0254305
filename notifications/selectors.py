"""Reads for the notification pages, panels and the WhatsApp status command."""

from django.db.models import Q

from notifications import texts
from notifications.models import Message
from workflow.models import ServiceRequest
from workflow.numbers import InvalidNumber, normalize


def messages_for_request(*, service_request):
    return (
        Message.objects.filter(request=service_request)
        .order_by("created_at", "id")
        .prefetch_related("delivery_attempts")
    )


def outbox_for_user(*, user, limit: int = 100):
    """Recent messages a staff member may see: everything for superusers / Django staff,
    else those of requests of their units and those about SKPs they own or validate
    (an SKP is personal: unit colleagues do not see its messages)."""
    from organization.selectors import unit_ids_for_user

    qs = Message.objects.select_related("request__service", "skp_event__skp").order_by(
        "-created_at", "-id"
    )
    if not (user.is_superuser or user.is_staff):
        units = unit_ids_for_user(user)
        visible = ServiceRequest.objects.filter(
            Q(service__unit_id__in=units) | Q(tasks__unit_id__in=units)
        ).values("pk")
        qs = qs.filter(
            Q(request__in=visible)
            | Q(skp_event__skp__employee__user=user)
            | Q(skp_event__skp__penilai__user=user)
            | Q(evaluation_event__evaluation__skp__employee__user=user)
            | Q(evaluation_event__evaluation__skp__penilai__user=user)
        )
    return qs[:limit]


def status_reply(*, typed: str, language: str) -> str:
    """The answer to `CEK <number>`: status and current step, no personal data."""
    shown = typed.strip()[:40]
    try:
        key = normalize(typed)
    except InvalidNumber:
        if language == "en":
            return (
                f"{shown} is not a valid registration number. Please check it "
                "(for example KJB-2026-00042-7)."
            )
        return (
            f"{shown} bukan nomor registrasi yang valid. Periksa kembali nomor Anda "
            "(contoh: KJB-2026-00042-7)."
        )
    request = (
        ServiceRequest.objects.select_related("service", "current_step")
        .filter(registration_key=key)
        .first()
    )
    if request is None:
        if language == "en":
            return f"No request with the number {shown} was found."
        return f"Permohonan dengan nomor {shown} tidak ditemukan."
    label = texts.STATUS_LABELS[language].get(request.status, request.status)
    step = request.current_step.name if request.current_step else "-"
    link = texts.tracking_url(request.registration_number)
    if language == "en":
        return (
            f"Request {request.registration_number}\nService: {request.service.name}\n"
            f"Status: {label}\nStep: {step}\nDetails: {link}"
        )
    return (
        f"Permohonan {request.registration_number}\nLayanan: {request.service.name}\n"
        f"Status: {label}\nTahap: {step}\nRincian: {link}"
    )
