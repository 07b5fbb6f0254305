import pytest
from django.db import transaction

from tests import factories
from tests.twilio_standin import ACCOUNT_SID, AUTH_TOKEN, SENDER, TwilioStandIn
from workflow.signals import request_transitioned


@pytest.fixture(autouse=True)
def _clean_cache():
    from django.core.cache import cache

    from notifications import services_delivery

    cache.clear()
    yield
    cache.clear()
    services_delivery._broker_down_until = 0.0


@pytest.fixture
def office_service(db):
    office = factories.OfficeFactory(code="KJB", name="Kankemenag Kota Jambi")
    unit = factories.UnitFactory(office=office, name="Seksi PHU")
    service = factories.ServiceTypeFactory(
        name="Rekomendasi Paspor Umrah", unit=unit, product="Surat rekomendasi"
    )
    factories.StepFactory(service=service, order=1, name="Verifikasi berkas", may_return=True)
    factories.StepFactory(service=service, order=2, name="Tanda tangan")
    return service


@pytest.fixture
def service_request(office_service):
    return factories.ServiceRequestFactory(
        service=office_service, current_step=office_service.steps.get(order=1)
    )


def announce(service_request, kind, *, note="", step=None, task=None, status=None):
    """What the workflow does: a history row and the signal, in one transaction."""
    with transaction.atomic():
        if status:
            type(service_request).objects.filter(pk=service_request.pk).update(status=status)
            service_request.refresh_from_db()
        event = factories.RequestEventFactory(
            request=service_request, kind=kind, note=note, step=step
        )
        request_transitioned.send(
            sender=type(service_request), request=service_request, event=event, task=task
        )
    return event


@pytest.fixture
def standin():
    with TwilioStandIn() as twilio:
        yield twilio


@pytest.fixture
def twilio_settings(settings, standin):
    settings.WHATSAPP_BACKEND = "twilio"
    settings.TWILIO_ACCOUNT_SID = ACCOUNT_SID
    settings.TWILIO_AUTH_TOKEN = AUTH_TOKEN
    settings.TWILIO_WHATSAPP_FROM = SENDER
    settings.TWILIO_API_BASE_URL = standin.url
    settings.TWILIO_HTTP_TIMEOUT = 2
    settings.PUBLIC_BASE_URL = "http://testserver"
    return settings
