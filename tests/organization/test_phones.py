"""Phone numbers: one rule (organization.phones) for applicants, employees and WhatsApp."""

import pytest
from django.core.exceptions import ValidationError
from django.db import connection
from django.db.migrations.loader import MigrationLoader
from django.utils import translation

from organization.models import Employee
from organization.phones import normalize_phone, phone_e164
from tests import factories


@pytest.fixture(autouse=True)
def indonesian():
    with translation.override("id"):
        yield


@pytest.mark.parametrize(
    "typed",
    ["0812-3456-7890", "081234567890", "6281234567890", "+62 812 3456 7890", "(0812) 3456.7890",
     "whatsapp:+6281234567890"],
)  # fmt: skip
def test_indonesian_forms_and_twilio_addresses_read_as_e164(typed):
    assert phone_e164(typed) == "+6281234567890"
    assert normalize_phone(typed) == "+6281234567890"


@pytest.mark.parametrize("typed", ["12345", "0812", "+62 000 0000", "bukan nomor", "+999123456"])
def test_invalid_numbers_are_refused_the_same_way_everywhere(typed):
    assert phone_e164(typed) is None
    with pytest.raises(ValidationError, match="Masukkan nomor telepon yang benar"):
        normalize_phone(typed)


def test_the_workflow_and_notifications_use_this_one_function():
    from notifications import services as notifications
    from workflow import validation

    assert validation.normalize_phone is normalize_phone
    assert notifications.phone_e164 is phone_e164


@pytest.mark.django_db
def test_an_employee_phone_is_stored_as_e164_and_an_invalid_one_refused():
    employee = factories.EmployeeFactory(phone="")
    employee.phone = "0812 3456 7890"
    employee.full_clean()
    employee.save()
    assert Employee.objects.get(pk=employee.pk).phone == "+6281234567890"
    employee.phone = "0812"
    with pytest.raises(ValidationError) as raised:
        employee.full_clean()
    assert raised.value.message_dict == {
        "phone": ["Masukkan nomor telepon yang benar, mis. 0812 3456 7890."]
    }


def test_the_migration_rewrites_stored_phones_and_keeps_an_unreadable_one(db, capsys):
    """0006 applied again, as the executor applies it (its operations on the historical
    models of its own state), to rows stored as typed; not by migrating the whole project
    back to 0005 and forward again, which re-ran every later migration of every app."""
    good = factories.EmployeeFactory(phone="")
    bad = factories.EmployeeFactory(phone="")
    Employee.objects.filter(pk=good.pk).update(phone="0812-3456-7890")
    Employee.objects.filter(pk=bad.pk).update(phone="12345")
    loader = MigrationLoader(connection)
    key = ("organization", "0006_employee_phone_e164")
    with connection.schema_editor() as editor:
        loader.graph.nodes[key].apply(loader.project_state(key, at_end=False), editor)
    assert Employee.objects.get(pk=good.pk).phone == "+6281234567890"
    assert Employee.objects.get(pk=bad.pk).phone == "12345"
    assert bad.nip in capsys.readouterr().out
