import pytest

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("path", ["/api/v1/tasks/", "/api/v1/skp/"])
def test_anonymous_api_call_is_401_with_the_scheme_to_use(api_client, path):
    response = api_client.get(path)
    assert response.status_code == 401
    assert response["WWW-Authenticate"] == "Token"
    assert "detail" in response.json()


def test_token_from_username_and_password_opens_the_api(api_client):
    from tests.factories import UserFactory

    UserFactory(username="petugas")
    token = api_client.post(
        "/api/v1/auth/token/", {"username": "petugas", "password": "rahasia-123"}
    ).json()["token"]
    api_client.credentials(HTTP_AUTHORIZATION=f"Token {token}")
    assert api_client.get("/api/v1/tasks/?scope=mine").status_code == 200


def test_wrong_password_gets_400_not_a_token(api_client):
    from tests.factories import UserFactory

    UserFactory(username="petugas")
    response = api_client.post("/api/v1/auth/token/", {"username": "petugas", "password": "x"})
    assert response.status_code == 400
    assert "token" not in response.json()
