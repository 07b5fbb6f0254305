"""The contract's demo accounts (seed_demo) play the SKP flow as CONTRACT.md describes:
`skp_approver` approves `skp_owner`'s SKP as definitive holder, `skp_acting` approves
`skp_owner_acting`'s as PLT of the vacant superior position."""

import pytest
from django.contrib.auth import get_user_model

from services_catalog.demo import demo_load
from tests.skp.conftest import YEAR, add_content, client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo(db):
    demo_load()
    return {u.username: u for u in get_user_model().objects.filter(username__startswith="skp_")}


@pytest.mark.parametrize(
    ("owner", "approver", "acting_as"),
    [
        ("skp_owner", "skp_approver", None),
        ("skp_owner_acting", "skp_acting", "Plt. Kepala Seksi Bimbingan Masyarakat Islam"),
    ],
)
def test_demo_pairs_play_the_flow(demo, owner, approver, acting_as):
    owner_client, approver_client = client_for(demo[owner]), client_for(demo[approver])
    skp_id = owner_client.post("/api/v1/skp/", {"year": YEAR}).json()["id"]
    add_content(owner_client, skp_id)
    assert owner_client.post(f"/api/v1/skp/{skp_id}/submit/").status_code == 200

    listed = approver_client.get("/api/v1/skp/?scope=to_review").json()["results"]
    assert [item["id"] for item in listed] == [skp_id]
    assert listed[0]["acting_as"] == acting_as

    # The other pair's approver may not act on it.
    other = "skp_acting" if approver == "skp_approver" else "skp_approver"
    assert client_for(demo[other]).post(f"/api/v1/skp/{skp_id}/approve/").status_code == 403

    assert approver_client.post(f"/api/v1/skp/{skp_id}/approve/").status_code == 200
    history = owner_client.get(f"/api/v1/skp/{skp_id}/history/").json()
    assert history[-1]["actor"] == approver
    assert (history[-1]["acting_as"] is None) == (acting_as is None)
