"""Development data for result letters: a template for every service whose step produces
a digital result, signed by the head of the service's office (`manage.py seed_letters`)."""

from django.conf import settings
from django.db import transaction

from organization.models import STRUCTURAL_KINDS, Position
from services_catalog.models import ServiceType

from .devcert import make_signing_ca
from .models import LetterNumbering, LetterTemplate

BODY = (
    "Yang bertanda tangan di bawah ini menerangkan bahwa permohonan {{ service }} atas nama "
    "{{ applicant_name }} dengan nomor registrasi {{ registration_number }} telah diperiksa "
    "dan memenuhi persyaratan.\n\n"
    "Demikian surat ini dibuat untuk dipergunakan sebagaimana mestinya."
)


def head_of(office) -> Position | None:
    """The office's top position: structural, reporting to no one in the same office."""
    for position in (
        Position.objects.filter(unit__office=office, kind__in=STRUCTURAL_KINDS)
        .select_related("superior__unit")
        .order_by("pk")
    ):
        if position.superior is None or position.superior.unit.office_id != office.pk:
            return position
    return None


def dev_certificate() -> bool:
    """Write the development certificate once; True when it was created."""
    path = settings.DEV_SIGNING_PKCS12
    if path.exists():
        return False
    path.parent.mkdir(parents=True, exist_ok=True)
    _ca, written = make_signing_ca(path.parent, passphrase=settings.DEV_SIGNING_PASSPHRASE)
    assert written == path
    return True


@transaction.atomic
def seed_letters() -> dict:
    created = 0
    for service in (
        ServiceType.objects.filter(steps__produces_result=True, product_is_digital=True)
        .select_related("unit__office")
        .distinct()
    ):
        head = head_of(service.unit.office)
        if head is None or LetterTemplate.objects.filter(service=service).exists():
            continue
        LetterTemplate.objects.create(
            service=service,
            title=service.product[:200] or service.name,
            body=BODY,
            signing_position=head,
        )
        LetterNumbering.objects.get_or_create(office=service.unit.office)
        created += 1
    return {"templates_created": created, "certificate_created": dev_certificate()}
