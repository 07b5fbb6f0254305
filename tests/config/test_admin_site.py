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
