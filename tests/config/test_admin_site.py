"""The admin index is grouped by what an administrator manages, in Bahasa Indonesia, and
the engine's internals are for superusers only (index and URLs)."""

import html as htmllib
import re

import pytest
from django.contrib import admin
from django.contrib.auth.models import Permission
from django.urls import reverse

from config.admin_site import SECTIONS, TECHNICAL
from tests import factories

pytestmark = pytest.mark.django_db


def _staff_with_every_permission():
    """A non-superuser staff account granted every model permission, technical ones too:
    what the site itself refuses must not depend on someone configuring groups right."""
    user = factories.UserFactory(username="pengelola")
    user.is_staff = True
    user.save()
    user.user_permissions.set(Permission.objects.all())
    return user


def _sections(html):
    found = re.findall(r'<caption>\s*<a [^>]*class="section"[^>]*>([^<]+)</a>', html)
    return [htmllib.unescape(title) for title in found]


def test_every_registered_model_is_placed_in_exactly_one_section():
    placed = [label for _anchor, _title, labels in SECTIONS for label in labels]
    assert len(placed) == len(set(placed)), "a model is listed in two sections"
    registered = {model._meta.label_lower for model in admin.site._registry}
    assert registered == set(placed)


def test_office_admin_index_is_grouped_in_indonesian_without_technical_models(client):
    client.force_login(_staff_with_every_permission())
    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert _sections(html) == [
        "Layanan",
        "Permohonan dan hasil",
        "Organisasi",
        "Pegawai & PLT",
        "Akun staf & hak akses",
        "Kinerja (SKP)",
        "Pesan",
        "Integrasi (Open311)",
    ]
    for leftover in ("Workflow", "WORKFLOW", "Process list", "Idempotency", "Axes", "Teknis"):
        assert leftover not in html


@pytest.mark.parametrize("label", sorted(TECHNICAL))
def test_technical_models_are_refused_to_a_non_superuser_even_with_permissions(client, label):
    client.force_login(_staff_with_every_permission())
    app_label, model_name = label.split(".")
    url = reverse(f"admin:{app_label}_{model_name}_changelist")
    assert client.get(url).status_code == 403


def test_superuser_sees_the_technical_section_translated(client):
    root = factories.UserFactory(username="root")
    root.is_staff = root.is_superuser = True
    root.save()
    client.force_login(root)
    html = client.get(reverse("admin:index"), HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert _sections(html)[-1] == "Teknis (khusus superuser)"
    assert "Daftar proses" in html and "Process list" not in html
    assert client.get(reverse("admin:viewflow_process_changelist")).status_code == 200


# Sections an office administrator works in; the SKP section's own tables are the SKP
# team's (not yet checked here).
CHECKED = {"layanan", "permohonan", "organisasi", "pegawai", "akun", "pesan", "integrasi"}


def _column_fields():
    from django.core.exceptions import FieldDoesNotExist

    for anchor, _title, labels in SECTIONS:
        if anchor not in CHECKED:
            continue
        for model, model_admin in admin.site._registry.items():
            if model._meta.label_lower not in labels:
                continue
            names = [*model_admin.list_display, *model_admin.list_filter]
            for name in (n for n in names if isinstance(n, str)):
                related, field = model, None
                try:
                    for part in name.split("__"):
                        field = related._meta.get_field(part)
                        related = field.related_model
                except FieldDoesNotExist:
                    continue  # a method column: its description is checked where written
                yield model._meta.label_lower, name, field


def test_every_column_and_filter_an_office_admin_sees_is_translatable():
    from django.utils.functional import Promise

    untranslatable = [
        f"{label}.{name}"
        for label, name, field in _column_fields()
        if not isinstance(field.verbose_name, Promise)
    ]
    assert untranslatable == []


def test_request_list_filters_read_in_indonesian(client):
    root = factories.UserFactory(username="root")
    root.is_staff = root.is_superuser = True
    root.save()
    client.force_login(root)
    factories.ServiceTypeFactory.create_batch(2)  # a filter needs two choices to show
    url = reverse("admin:workflow_servicerequest_changelist")
    html = client.get(url, HTTP_ACCEPT_LANGUAGE="id").content.decode()
    assert "Berdasarkan layanan" in html and "Berdasarkan service" not in html
