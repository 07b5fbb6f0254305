"""The service form as an office administrator fills it: choices one per line, file types
ticked, sizes in MB, a warning when the steps outrun the time limit, and a read-only
preview of the citizen's form."""

import pytest
from django.contrib.auth.models import Permission
from django.urls import reverse

from tests import factories
from tests.services_catalog.test_admin import change_url, post_data

pytestmark = pytest.mark.django_db

MB = 1024 * 1024


@pytest.fixture
def admin_client(client):
    user = factories.UserFactory(username="root")
    user.is_staff = user.is_superuser = True
    user.save()
    client.force_login(user)
    return client


@pytest.fixture
def service(service_with_steps):
    factories.FormFieldFactory(
        service=service_with_steps, code="jenjang", label="Jenjang", type="choice",
        choices=["MI", "MTs", "MA"], order=10_000,  # after the fixture's two
    )  # fmt: skip
    factories.RequiredDocumentFactory(
        service=service_with_steps, code="ijazah", label="Scan ijazah",
        content_types=["application/pdf", "image/jpeg"], max_bytes=3 * MB,
    )  # fmt: skip
    return service_with_steps


def test_the_form_shows_choices_per_line_types_as_boxes_and_sizes_in_mb(admin_client, service):
    page = admin_client.get(change_url(service)).content.decode()
    assert 'id="id_fields-2-choices">\nMI\nMTs\nMA</textarea>' in page
    assert '["MI"' not in page and "application/pdf&quot;" not in page
    assert 'type="checkbox" name="documents-0-content_types" value="image/jpeg"' in page
    assert 'value="image/png"' in page and "Gambar PNG" in page
    assert 'name="documents-0-max_mb" value="3,0"' in page
    assert "Ukuran maksimum (MB)" in page or "ukuran maksimum (MB)" in page


def test_a_repeated_choice_no_file_type_or_a_size_too_large_is_refused(admin_client, service):
    data = post_data(service)
    data["fields-2-choices"] = "MI\nMTs\nMI"
    data["documents-0-content_types"] = []
    data["documents-0-max_mb"] = "500"
    response = admin_client.post(change_url(service), data)
    assert response.status_code == 200
    page = response.content.decode()
    assert "Setiap pilihan sekali; berulang: MI." in page
    assert "Centang paling sedikit satu jenis berkas." in page
    assert "lebih kecil dari atau sama dengan 20" in page
    document = service.documents.get()
    assert document.max_bytes == 3 * MB and document.content_types == [
        "application/pdf",
        "image/jpeg",
    ]


def test_saving_steps_longer_than_the_time_limit_warns(admin_client, service):
    data = post_data(service)
    data["sla_working_days"] = 3  # the two steps take 2 + 2 working days
    response = admin_client.post(change_url(service), data, follow=True)
    assert response.status_code == 200
    service.refresh_from_db()
    assert service.sla_working_days == 3  # saved, with a word
    warnings = [str(m) for m in response.context["messages"] if m.level_tag == "warning"]
    assert len(warnings) == 1
    assert "4 hari kerja" in warnings[0] and "3 hari kerja" in warnings[0]
    again = admin_client.get(change_url(service))
    assert "4 hari kerja" in again.content.decode()


def test_no_warning_when_the_steps_fit(admin_client, service):
    data = post_data(service)
    data["sla_working_days"] = 4
    response = admin_client.post(change_url(service), data, follow=True)
    assert [m for m in response.context["messages"] if m.level_tag == "warning"] == []


def test_the_preview_shows_the_citizens_form_read_only(admin_client, service):
    service.is_active = False
    service.save(update_fields=["is_active"])
    edit = admin_client.get(change_url(service)).content.decode()
    url = reverse("tracking:service-preview", args=[service.code])
    assert f'href="{url}"' in edit
    response = admin_client.get(url)
    assert response.status_code == 200
    page = response.content.decode()
    assert '<fieldset class="preview" disabled>' in page
    for text in ("Jenjang", "MTs", "Scan ijazah", "Verifikasi berkas", "tidak aktif"):
        assert text in page
    assert admin_client.post(url).status_code == 405


def test_the_preview_is_for_staff_allowed_to_see_the_catalogue(client, service):
    url = reverse("tracking:service-preview", args=[service.code])
    assert client.get(url).status_code == 302  # to the admin login
    user = factories.UserFactory(username="pegawai")
    user.is_staff = True
    user.save()
    client.force_login(user)
    assert client.get(url).status_code == 403
    user.user_permissions.add(Permission.objects.get(codename="view_servicetype"))
    assert client.get(url).status_code == 403  # no office of theirs
    other = factories.StaffMembershipFactory(user=user, role="admin")
    assert client.get(url).status_code == 403  # another office's service
    factories.StaffMembershipFactory(user=user, unit=service.unit, role="admin")
    assert other.unit.office_id != service.unit.office_id
    assert client.get(url).status_code == 200


def test_a_number_fields_largest_value_is_set_in_the_field_inline_and_previewed(
    admin_client, service
):
    factories.FormFieldFactory(
        service=service, code="lembar", label="Jumlah lembar", type="number", order=20_000
    )
    edit = admin_client.get(change_url(service)).content.decode()
    assert 'name="fields-3-max_value"' in edit
    data = post_data(service)
    data["fields-3-max_value"] = "10"
    response = admin_client.post(change_url(service), data)
    assert response.status_code == 302, [
        f.errors for fs in response.context["inline_admin_formsets"] for f in fs.formset.forms
    ]
    assert service.fields.get(code="lembar").max_value == 10
    url = reverse("tracking:service-preview", args=[service.code])
    page = admin_client.get(url).content.decode()
    assert 'max="10"' in page and "Paling banyak 10." in page


@pytest.mark.parametrize(
    ("row", "value", "message"),
    [
        (0, "5", "Hanya isian angka yang dapat memiliki nilai terbesar."),  # a text field
        (3, "-1", "lebih besar dari atau sama dengan 0"),  # below the smallest answer
    ],
)
def test_a_largest_value_off_a_number_field_or_below_zero_is_refused(
    admin_client, service, row, value, message
):
    factories.FormFieldFactory(
        service=service, code="lembar", label="Jumlah lembar", type="number", order=20_000
    )
    data = post_data(service)
    data[f"fields-{row}-max_value"] = value
    response = admin_client.post(change_url(service), data)
    assert response.status_code == 200
    errors = [
        f.errors for fs in response.context["inline_admin_formsets"] for f in fs.formset.forms
    ]
    assert message in response.content.decode(), errors
    assert not service.fields.exclude(max_value=None).exists()
