"""The staff login page's refusal reads as a sentence (Django's Indonesian catalogue
doubled "nama pengguna": "Masukkan nama pengguna nama pengguna dan sandi ...")."""

import pytest

from tests import factories

pytestmark = pytest.mark.django_db


def test_wrong_password_message_is_one_clear_sentence(client):
    factories.UserFactory(username="petugas")
    response = client.post("/staf/masuk/", {"username": "petugas", "password": "salah"})
    page = response.content.decode()
    assert response.status_code == 200
    assert "Masukkan nama pengguna dan sandi yang benar." in page
    assert "nama pengguna nama pengguna" not in page
