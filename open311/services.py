"""Open311 actions: API keys for clients, and filing a GeoReport v2 POST as a request
through the workflow's own submission service (its rules are not repeated here)."""

import secrets

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.exceptions import ApplicationError, NotFound
from services_catalog.models import ServiceType
from workflow.models import Channel
from workflow.services import service_request_submit

from .models import ApiClient, Open311Request, key_digest

APPLICANT_PARAMS = {
    "applicant.name": "first_name",
    "applicant.phone": "phone",
    "applicant.email": "email",
    "applicant.nik": "attribute[nik]",
}


def api_client_create(*, name: str, post_rate: str = "30/min") -> tuple[ApiClient, str]:
    """A new client and its key (the key is shown once; only its digest is stored)."""
    client = ApiClient(name=name.strip(), post_rate=post_rate)
    key = client.set_key()
    client.full_clean()
    client.save()
    return client, key


def api_client_rotate_key(*, client: ApiClient) -> str:
    key = client.set_key()
    client.save(update_fields=["key_prefix", "key_digest"])
    return key


def api_client_for_key(key: str) -> ApiClient | None:
    if not key:
        return None
    client = ApiClient.objects.filter(key_digest=key_digest(key), is_active=True).first()
    if client is not None:
        ApiClient.objects.filter(pk=client.pk).update(last_used_at=timezone.now())
    return client


def _attributes(params) -> dict:
    data = {}
    for name in params:
        if name.startswith("attribute[") and name.endswith("]") and "][" not in name:
            data[name[len("attribute[") : -1]] = params.get(name)
    return data


def _open311_errors(error: ApplicationError) -> list[str]:
    """The workflow's field errors, named as the GeoReport parameters they came from."""
    if not error.field_errors:
        return [str(error.message)]
    lines = []
    for key, messages in error.field_errors.items():
        param = APPLICANT_PARAMS.get(
            key, f"attribute[{key}]" if key != "service" else "service_code"
        )
        lines += [f"{param}: {m}" for m in messages]
    return lines


class Open311Error(ApplicationError):
    """A refused POST, with one description per problem (GeoReport `errors`)."""

    def __init__(self, descriptions: list[str], status_code: int = 400):
        self.descriptions = descriptions
        self.status_code = status_code
        super().__init__("; ".join(descriptions))


def open311_request_submit(*, client: ApiClient, params, office=None) -> Open311Request:
    """POST requests: map the GeoReport parameters onto the catalogue's form and file it
    with `workflow.services.service_request_submit` (channel online)."""
    code = params.get("service_code", "")
    services = ServiceType.objects.active().select_related("unit__office")
    if office is not None:
        services = services.filter(unit__office=office)
    service = services.filter(code=code).first()
    if service is None:
        raise Open311Error([_("service_code: unknown service %(code)s.") % {"code": code}], 404)
    data = _attributes(params)
    nik = data.pop("nik", "")
    description = (params.get("description") or "").strip()
    if description:
        if not service.fields.filter(code="description").exists():
            raise Open311Error(
                [
                    _(
                        "description: this service takes its information as "
                        "attributes (see its service definition)."
                    )
                ]
            )
        data.setdefault("description", description)
    name = " ".join(p for p in (params.get("first_name", ""), params.get("last_name", "")) if p)
    applicant = {"name": name.strip(), "phone": params.get("phone", "")}
    if params.get("email"):
        applicant["email"] = params["email"]
    if nik:
        applicant["nik"] = nik
    try:
        with transaction.atomic():
            request = service_request_submit(
                service=service,
                applicant=applicant,
                data=data,
                documents={},
                channel=Channel.ONLINE,
            )
            return Open311Request.objects.create(
                client=client, request=request, token=secrets.token_urlsafe(16)
            )
    except NotFound:
        raise Open311Error([_("Not found.")], 404) from None
    except ApplicationError as error:
        raise Open311Error(_open311_errors(error), error.status_code) from None
