import pytest
from django.core.exceptions import ValidationError

from core import process_copy
from notifications import texts
from notifications.models import REQUEST_KINDS, Message, MessageKind
from tests import factories
from tests.notifications.conftest import announce

TRANSITIONS = [
    ("submitted", "submitted", MessageKind.SUBMITTED),
    ("started", "in_progress", MessageKind.STEP_STARTED),
    ("advanced", "in_progress", MessageKind.STEP_STARTED),
    ("returned", "needs_info", MessageKind.RETURNED),
    ("resubmitted", "in_progress", MessageKind.RESUBMITTED),
    ("completed", "completed", MessageKind.COMPLETED),
    ("rejected", "rejected", MessageKind.REJECTED),
    ("cancelled", "cancelled", MessageKind.CANCELLED),
]


@pytest.mark.parametrize("language", ["id", "en"])
@pytest.mark.parametrize("kind", [value for value, _label in REQUEST_KINDS])
def test_every_default_text_carries_the_registration_number(kind, language):
    assert texts.check_template(texts.DEFAULT_TEXTS[language][kind]) is None


@pytest.mark.parametrize(("event_kind", "status", "message_kind"), TRANSITIONS)
def test_each_transition_writes_one_message_with_the_number(
    service_request, event_kind, status, message_kind
):
    announce(service_request, event_kind, status=status, note="Lengkapi KTP")
    message = Message.objects.get(request=service_request)
    assert message.kind == message_kind
    assert message.recipient == "+6281234567890"
    assert service_request.registration_number in message.body
    assert message.language == "id"


def test_submitted_message_in_indonesian_with_tracking_link(settings, service_request):
    settings.PUBLIC_BASE_URL = "https://alur.example.go.id"
    announce(service_request, "submitted")
    body = Message.objects.get().body
    number = service_request.registration_number
    assert "telah kami terima" in body
    assert f"https://alur.example.go.id/cek-status/{number}/" in body
    assert "Rekomendasi Paspor Umrah" in body


def test_returned_message_has_note_and_the_applicants_fix_link(settings, service_request):
    settings.PUBLIC_BASE_URL = "https://alur.example.go.id"
    announce(service_request, "returned", status="needs_info", note="Scan KTP buram")
    body = Message.objects.get().body
    number = service_request.registration_number
    assert "Scan KTP buram" in body
    assert (
        f"https://alur.example.go.id/permohonan/{number}/?token={service_request.access_token}"
        in body
    )


def test_step_started_names_the_new_step(service_request, office_service):
    step2 = office_service.steps.get(order=2)
    task = factories.TaskFactory(request=service_request, step=step2)
    announce(service_request, "advanced", status="in_progress", task=task)
    assert "Tanda tangan" in Message.objects.get().body


def test_rejected_message_gives_the_reason(service_request):
    announce(service_request, "rejected", status="rejected", note="Bukan wewenang kantor ini")
    assert "Alasan: Bukan wewenang kantor ini" in Message.objects.get().body


def test_completed_message_says_how_to_get_the_result(service_request, office_service):
    announce(service_request, "completed", status="completed")
    body = Message.objects.get().body
    assert "loket PTSP Kankemenag Kota Jambi" in body


def test_completed_digital_product_links_to_the_download(service_request, office_service):
    office_service.product_is_digital = True
    office_service.save()
    service_request.refresh_from_db()
    announce(service_request, "completed", status="completed")
    body = Message.objects.get().body
    assert f"?token={service_request.access_token}" in body


def test_english_texts_when_the_language_is_english(settings, service_request):
    settings.LANGUAGE_CODE = "en"
    announce(service_request, "submitted")
    message = Message.objects.get()
    assert message.language == "en"
    assert "We have received your" in message.body


def test_service_override_beats_general_override_beats_default(service_request, office_service):
    factories.MessageTemplateFactory(service=None, body="Umum {{ number }}")
    announce(service_request, "submitted")
    assert Message.objects.get().body == f"Umum {service_request.registration_number}"
    Message.objects.all().delete()
    factories.MessageTemplateFactory(service=office_service, body="Khusus {{ number }}")
    announce(service_request, "submitted")
    assert Message.objects.get().body == f"Khusus {service_request.registration_number}"


def test_a_template_changed_elsewhere_is_used_once_its_version_moves(service_request):
    """Texts come from this process's copy (texts.template_text); another process's
    change reaches it with the version bump that follows its commit."""
    template = factories.MessageTemplateFactory(service=None, body="Lama {{ number }}")
    number = service_request.registration_number
    announce(service_request, "submitted")
    # Changed by another process: the rows change, no signal reaches this one.
    type(template).objects.filter(pk=template.pk).update(body="Baru {{ number }}")
    announce(service_request, "submitted")
    process_copy.bump(texts.TEMPLATES_VERSION_KEY)  # what its commit does (templates_changed)
    announce(service_request, "submitted")
    bodies = list(Message.objects.order_by("pk").values_list("body", flat=True))
    assert bodies == [f"Lama {number}", f"Lama {number}", f"Baru {number}"]


def test_a_template_saved_here_is_used_by_the_next_message(service_request):
    announce(service_request, "submitted")
    factories.MessageTemplateFactory(service=None, body="Umum {{ number }}")
    announce(service_request, "submitted")
    bodies = list(Message.objects.order_by("pk").values_list("body", flat=True))
    assert "telah kami terima" in bodies[0]
    assert bodies[1] == f"Umum {service_request.registration_number}"


def test_a_broken_override_falls_back_to_the_default(service_request):
    # Saved around the admin's validation (e.g. directly in the database).
    factories.MessageTemplateFactory(body="{% if %}rusak {{ number }}")
    announce(service_request, "submitted")
    assert "telah kami terima" in Message.objects.get().body


def test_admin_refuses_a_template_without_the_number(db):
    template = factories.MessageTemplateFactory.build(body="Permohonan Anda diterima.")
    with pytest.raises(ValidationError) as info:
        template.full_clean()
    assert "body" in info.value.message_dict


def test_admin_refuses_a_template_with_bad_syntax(db):
    template = factories.MessageTemplateFactory.build(body="{{ number }} {% for %}")
    with pytest.raises(ValidationError):
        template.full_clean()


def test_render_adds_the_number_when_a_text_drops_it():
    body = texts.render("Halo {{ service }}", {"number": "KJB-2026-00001-X", "service": "A"})
    assert body.startswith("[KJB-2026-00001-X]")


def test_content_variables_have_fixed_positions(service_request):
    announce(service_request, "returned", status="needs_info", note="Perbaiki")
    variables = Message.objects.get().content_variables
    assert variables["1"] == service_request.registration_number
    assert variables["2"] == "Rekomendasi Paspor Umrah"
    assert variables["4"] == "Perbaiki"
    assert service_request.access_token in variables["5"]


def test_text_is_not_html_escaped(service_request):
    announce(service_request, "returned", status="needs_info", note="KTP & KK <buram>")
    assert "KTP & KK <buram>" in Message.objects.get().body
