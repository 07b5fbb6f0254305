"""The development outbox page and the WhatsApp panel on the staff request page."""

import pytest
from django.test import RequestFactory

from notifications.models import MessageStatus
from notifications.panels import message_panel
from organization.models import StaffMembership
from tests import factories


@pytest.fixture
def failed_message(service_request):
    return factories.MessageFactory(
        request=service_request,
        status=MessageStatus.FAILED,
        error_code="21211",
        error_message="The 'To' number is not a valid phone number.",
        attempts=1,
    )


def test_outbox_needs_a_login(client, db):
    response = client.get("/staf/pesan/")
    assert response.status_code == 302
    assert "/staf/masuk/" in response["Location"]


def test_outbox_is_refused_to_users_who_are_not_staff(client, db):
    client.force_login(factories.UserFactory())
    assert client.get("/staf/pesan/").status_code == 403


def test_superuser_sees_every_message_with_its_status(client, failed_message):
    admin = factories.UserFactory(is_superuser=True, is_staff=True)
    client.force_login(admin)
    response = client.get("/staf/pesan/")
    assert response.status_code == 200
    text = response.content.decode()
    assert failed_message.request.registration_number in text
    assert "21211" in text
    assert 'lang="id"' in text
    assert "Kotak keluar WhatsApp" in text  # Bahasa Indonesia by default
    assert "Gagal" in text


def test_unit_staff_see_only_their_units_messages(client, failed_message, office_service):
    mine = factories.UserFactory()
    StaffMembership.objects.create(user=mine, unit=office_service.unit)
    other_unit_request = factories.ServiceRequestFactory()
    factories.MessageFactory(request=other_unit_request)
    client.force_login(mine)
    text = client.get("/staf/pesan/").content.decode()
    assert failed_message.request.registration_number in text
    assert other_unit_request.registration_number not in text


def test_outbox_lists_without_n_plus_one(client, office_service, django_assert_max_num_queries):
    for _ in range(5):
        factories.MessageFactory(request=factories.ServiceRequestFactory(service=office_service))
    client.force_login(factories.UserFactory(is_superuser=True))
    # The session's first page also records the initial-password check (accounts).
    assert client.get("/staf/pesan/").status_code == 200
    with django_assert_max_num_queries(6):
        assert client.get("/staf/pesan/").status_code == 200


def test_panel_shows_a_failed_message_and_its_error_code(failed_message):
    http_request = RequestFactory().get("/staf/")
    http_request.user = factories.UserFactory()
    html = message_panel(http_request, failed_message.request)
    assert "21211" in html
    assert "not a valid phone number" in html
    assert "whatsapp-panel" in html
    assert "Pesan WhatsApp kepada pemohon" in html


def test_panel_is_registered_for_the_staff_request_page(settings):
    assert "notifications.panels.message_panel" in settings.STAFF_REQUEST_PANELS
