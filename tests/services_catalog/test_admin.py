"""The catalogue admin edits a service with its inlines and refuses a broken entry."""

import pytest
from django.urls import reverse

from services_catalog.models import FormField, ServiceType, Step
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.fixture
def admin_client(client):
    user = factories.UserFactory(username="root")
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


def _bool(value):
    return "on" if value else ""


def post_data(service, *, fields=None, documents=None, steps=None):
    """The change form as the admin page would post it, from the stored service (or the
    given lists of dicts)."""
    if fields is None:
        fields = [
            {
                "id": f.pk,
                "order": f.order,
                "code": f.code,
                "label": f.label,
                "type": f.type,
                "required": f.required,
                "choices": "\n".join(f.choices),
                "max_value": f.max_value,
            }
            for f in service.fields.all()
        ]
    if documents is None:
        documents = [
            {
                "id": d.pk,
                "order": d.order,
                "code": d.code,
                "label": d.label,
                "required": d.required,
                "content_types": d.content_types,
                "max_mb": d.max_bytes / (1024 * 1024),
            }
            for d in service.documents.all()
        ]
    if steps is None:
        steps = [
            {
                "id": s.pk,
                "order": s.order,
                "name": s.name,
                "unit": s.unit_id,
                "route": s.route,
                "sla_working_days": s.sla_working_days,
                "may_return": s.may_return,
                "produces_result": s.produces_result,
            }
            for s in service.steps.all()
        ]
    data = {
        "code": service.code,
        "name": service.name,
        "description": service.description,
        "unit": service.unit_id,
        "audience": service.audience,
        "is_active": _bool(service.is_active),
        "display_order": service.display_order,
        "requirements": service.requirements,
        "procedure": service.procedure,
        "sla_working_days": service.sla_working_days,
        "correction_days": service.correction_days,
        "fee": service.fee,
        "product": service.product,
        "legal_basis": service.legal_basis,
        "complaint_channel": service.complaint_channel,
    }
    stored = service.pk is not None
    for prefix, rows, initial in (
        ("fields", fields, service.fields.count() if stored else 0),
        ("documents", documents, service.documents.count() if stored else 0),
        ("steps", steps, service.steps.count() if stored else 0),
    ):
        if prefix == "steps":  # a step goes to its unit unless the test says otherwise
            rows = [{"route": "unit", **row} for row in rows]
        data[f"{prefix}-TOTAL_FORMS"] = len(rows)
        data[f"{prefix}-INITIAL_FORMS"] = initial
        data[f"{prefix}-MIN_NUM_FORMS"] = 0
        data[f"{prefix}-MAX_NUM_FORMS"] = 1000
        for i, row in enumerate(rows):
            for key, value in row.items():
                if isinstance(value, bool):
                    value = _bool(value)
                elif isinstance(value, list):
                    pass  # a multiple choice: posted as repeated values
                elif value is None:
                    value = ""
                data[f"{prefix}-{i}-{key}"] = value
            data[f"{prefix}-{i}-service"] = service.pk or ""
    return {k: v for k, v in data.items() if v != ""}


def change_url(service):
    return reverse("admin:services_catalog_servicetype_change", args=[service.pk])


def test_admin_lists_and_shows_a_service(admin_client, service_with_steps):
    listing = admin_client.get(reverse("admin:services_catalog_servicetype_changelist"))
    assert listing.status_code == 200
    assert service_with_steps.name in listing.content.decode()
    page = admin_client.get(change_url(service_with_steps))
    assert page.status_code == 200
    assert "Verifikasi berkas" in page.content.decode()


def test_admin_edits_reorders_and_adds_steps(admin_client, service_with_steps):
    service = service_with_steps
    first, second = service.steps.order_by("order")
    data = post_data(
        service,
        steps=[
            # Swap the two steps and add a third one.
            {"id": first.pk, "order": 2, "name": "Verifikasi ulang", "unit": first.unit_id,
             "sla_working_days": 3, "may_return": True},
            {"id": second.pk, "order": 1, "name": second.name, "unit": second.unit_id,
             "sla_working_days": 1},
            {"order": 3, "name": "Penyerahan hasil", "unit": service.unit_id,
             "sla_working_days": 1, "produces_result": True},
        ],
    )  # fmt: skip
    response = admin_client.post(change_url(service), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302, response.context["errors"] if response.context else ""
    steps = list(service.steps.order_by("order").values_list("order", "name", "produces_result"))
    assert steps == [
        (1, "Penandatanganan", False),
        (2, "Verifikasi ulang", False),
        (3, "Penyerahan hasil", True),
    ]
    assert Step.objects.get(pk=first.pk).sla_working_days == 3


def test_admin_refuses_a_service_without_steps(admin_client, service_with_steps):
    service = service_with_steps
    steps = [
        {"id": s.pk, "order": s.order, "name": s.name, "unit": s.unit_id,
         "sla_working_days": 1, "DELETE": True}
        for s in service.steps.all()
    ]  # fmt: skip
    response = admin_client.post(
        change_url(service), post_data(service, steps=steps), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "A service needs at least one step." in response.content.decode()
    # Also at the top of the page, not only on the steps inline.
    assert [str(m) for m in response.context["messages"]] == ["A service needs at least one step."]
    assert service.steps.count() == 2
    # Bahasa Indonesia by default.
    response = admin_client.post(change_url(service), post_data(service, steps=steps))
    assert "Layanan memerlukan sedikitnya satu tahapan." in response.content.decode()


def test_admin_refuses_duplicate_field_codes(admin_client, service_with_steps):
    service = service_with_steps
    fields = [
        {"id": f.pk, "order": f.order, "code": "purpose", "label": f.label, "type": f.type,
         "required": f.required}
        for f in service.fields.all()
    ]  # fmt: skip
    response = admin_client.post(
        change_url(service), post_data(service, fields=fields), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Form field with this Service type and Code already exists." in response.content.decode()
    assert sorted(service.fields.values_list("code", flat=True)) == ["purpose", "travel_date"]


def test_admin_refuses_two_new_fields_with_one_code(admin_client, service_with_steps):
    service = service_with_steps
    # The stored rows, then two new ones sharing a code.
    rows = [
        {"id": f.pk, "order": f.order, "code": f.code, "label": f.label, "type": f.type}
        for f in service.fields.all()
    ] + [
        {"order": 5, "code": "alamat", "label": "Alamat", "type": "text"},
        {"order": 6, "code": "alamat", "label": "Alamat lagi", "type": "text"},
    ]
    fields = post_data(service, fields=rows)
    response = admin_client.post(change_url(service), fields, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "Please correct the duplicate data for code" in response.content.decode()
    assert service.fields.count() == 2


def test_admin_refuses_gaps_in_step_numbering(admin_client, service_with_steps):
    service = service_with_steps
    first, second = service.steps.order_by("order")
    steps = [
        {"id": first.pk, "order": 1, "name": first.name, "unit": first.unit_id,
         "sla_working_days": 1},
        {"id": second.pk, "order": 3, "name": second.name, "unit": second.unit_id,
         "sla_working_days": 1},
    ]  # fmt: skip
    response = admin_client.post(
        change_url(service), post_data(service, steps=steps), HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "Steps must be numbered 1, 2, 3" in response.content.decode()
    assert sorted(service.steps.values_list("order", flat=True)) == [1, 2]


def test_admin_refuses_to_add_a_service_without_steps(admin_client, unit):
    new = ServiceType(
        code="layanan-baru", name="Layanan baru", unit=unit, sla_working_days=3, product="Surat"
    )
    data = post_data(new, fields=[], documents=[], steps=[])
    response = admin_client.post(
        reverse("admin:services_catalog_servicetype_add"), data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 200
    assert "A service needs at least one step." in response.content.decode()
    assert not ServiceType.objects.filter(code="layanan-baru").exists()
    assert not FormField.objects.exists()


def test_admin_adds_a_complete_service(admin_client, unit):
    new = ServiceType(
        code="layanan-baru", name="Layanan baru", unit=unit, sla_working_days=3, product="Surat"
    )
    data = post_data(
        new,
        fields=[{"order": 1, "code": "jenjang", "label": "Jenjang", "type": "choice",
                 "required": True, "choices": "MI\n\n  MTs \n"}],
        documents=[{"order": 1, "code": "ktp", "label": "KTP", "required": True,
                    "content_types": ["application/pdf", "image/png"], "max_mb": "1.5"}],
        steps=[{"order": 1, "name": "Verifikasi", "unit": unit.pk, "sla_working_days": 1,
                "may_return": True}],
    )  # fmt: skip
    response = admin_client.post(
        reverse("admin:services_catalog_servicetype_add"), data, HTTP_ACCEPT_LANGUAGE="en"
    )
    assert response.status_code == 302
    service = ServiceType.objects.get(code="layanan-baru")
    assert service.fields.get().choices == ["MI", "MTs"]
    document = service.documents.get()
    assert document.content_types == ["application/pdf", "image/png"]
    assert document.max_bytes == int(1.5 * 1024 * 1024)
    assert service.steps.get().may_return is True


def test_organisation_admin_pages_answer(admin_client):
    holding = factories.PositionHoldingFactory()
    factories.ActingAssignmentFactory(position=holding.position)
    factories.StaffMembershipFactory()
    for model in (
        "office",
        "unit",
        "position",
        "employee",
        "positionholding",
        "actingassignment",
        "staffmembership",
    ):
        url = reverse(f"admin:organization_{model}_changelist")
        assert admin_client.get(url).status_code == 200, model
        assert admin_client.get(reverse(f"admin:organization_{model}_add")).status_code == 200
    page = admin_client.get(
        reverse("admin:organization_employee_change", args=[holding.employee.pk])
    )
    assert page.status_code == 200
    assert "1985" in page.content.decode()  # birth date read from the NIP


def test_an_editor_of_steps_only_is_held_to_the_same_rules(client, service_with_steps):
    """A staff user who may edit services and steps but not see fields or documents:
    the stored fields and documents count in the whole-entry check."""
    from django.contrib.auth.models import Permission

    editor = factories.UserFactory(username="editor")
    editor.is_staff = True
    editor.save()
    codenames = ["view_servicetype", "change_servicetype"] + [
        f"{action}_step" for action in ("view", "add", "change", "delete")
    ]
    editor.user_permissions.set(
        Permission.objects.filter(
            content_type__app_label="services_catalog", codename__in=codenames
        )
    )
    # An office administrator of the service's office (the admin is scoped to it).
    factories.StaffMembershipFactory(user=editor, unit=service_with_steps.unit, role="admin")
    client.force_login(editor)
    service = service_with_steps
    data = {
        k: v for k, v in post_data(service).items() if not k.startswith(("fields-", "documents-"))
    }
    data["steps-0-name"] = "Verifikasi berkas dan data"
    response = client.post(change_url(service), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 302
    assert service.steps.get(order=1).name == "Verifikasi berkas dan data"
    for key in ("steps-0-DELETE", "steps-1-DELETE"):
        data[key] = "on"
    response = client.post(change_url(service), data, HTTP_ACCEPT_LANGUAGE="en")
    assert response.status_code == 200
    assert "A service needs at least one step." in response.content.decode()
    assert service.steps.count() == 2


def test_admin_index_is_in_bahasa_indonesia_by_default(admin_client):
    html = admin_client.get(reverse("admin:index")).content.decode()
    for text in ("Administrasi Alur", "Layanan", "Jenis layanan", "Organisasi", "Pegawai"):
        assert text in html
    english = admin_client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="en").content.decode()
    assert "Service types" in english and "Organisation" in english and "Layanan" not in english
