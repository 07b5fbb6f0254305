"""Who approves or returns: whoever acts for the owner's superior position today. A
PLT/PLH in force replaces the definitive holder; nobody validates their own SKP."""

import pytest

from skp.models import Skp, SkpEvent
from tests import factories
from tests.skp.conftest import DAY, TODAY, client_for

pytestmark = pytest.mark.django_db


def _status(skp_id):
    return Skp.objects.get(pk=skp_id).status


def test_plt_in_force_approves_and_history_shows_acting_as(org, submitted_skp):
    plt = factories.EmployeeFactory(name="Rina Marlina", user__username="rina")
    factories.ActingAssignmentFactory(employee=plt, position=org.head_position)
    response = client_for(plt.user).post(f"/api/v1/skp/{submitted_skp}/approve/")
    assert response.status_code == 200
    assert response.json()["pejabat_penilai"] == {
        "name": "Rina Marlina",
        "nip": plt.nip,
        "position": "Plt. Kepala Seksi Pendidikan Madrasah",
        "unit": "Seksi Pendidikan Madrasah",
    }
    history = client_for(org.owner.user).get(f"/api/v1/skp/{submitted_skp}/history/").json()
    assert history[-1]["action"] == "approved"
    assert history[-1]["actor"] == "rina"
    assert history[-1]["acting_as"] == "Plt. Kepala Seksi Pendidikan Madrasah"


def test_plt_listed_to_review_with_acting_label(org, submitted_skp):
    plt = factories.EmployeeFactory()
    factories.ActingAssignmentFactory(employee=plt, position=org.head_position, kind="plh")
    results = client_for(plt.user).get("/api/v1/skp/?scope=to_review").json()["results"]
    assert [(r["id"], r["acting_as"]) for r in results] == [
        (submitted_skp, "Plh. Kepala Seksi Pendidikan Madrasah")
    ]
    # The definitive holder no longer reviews it while the PLH is in force.
    assert client_for(org.head.user).get("/api/v1/skp/?scope=to_review").json()["count"] == 0


def test_definitive_holder_refused_while_a_plt_is_in_force(org, submitted_skp):
    factories.ActingAssignmentFactory(position=org.head_position)
    head = client_for(org.head.user)
    assert head.post(f"/api/v1/skp/{submitted_skp}/approve/").status_code == 403
    assert head.post(f"/api/v1/skp/{submitted_skp}/return/", {"note": "x"}).status_code == 403
    assert head.get(f"/api/v1/skp/{submitted_skp}/").status_code == 404
    assert _status(submitted_skp) == "submitted"


def test_expired_plt_refused_and_the_holder_approves_again(org, submitted_skp):
    plt = factories.EmployeeFactory()
    factories.ActingAssignmentFactory(
        employee=plt,
        position=org.head_position,
        start_date=TODAY - 60 * DAY,
        end_date=TODAY - DAY,
    )
    client = client_for(plt.user)
    assert client.post(f"/api/v1/skp/{submitted_skp}/approve/").status_code == 403
    assert client.post(f"/api/v1/skp/{submitted_skp}/return/", {"note": "x"}).status_code == 403
    assert client.get("/api/v1/skp/?scope=to_review").json()["count"] == 0
    assert _status(submitted_skp) == "submitted"
    assert (
        client_for(org.head.user).post(f"/api/v1/skp/{submitted_skp}/approve/").status_code == 200
    )


def test_future_plt_not_yet_in_force_is_refused(org, submitted_skp):
    plt = factories.EmployeeFactory()
    factories.ActingAssignmentFactory(
        employee=plt, position=org.head_position, start_date=TODAY + DAY, end_date=TODAY + 9 * DAY
    )
    assert client_for(plt.user).post(f"/api/v1/skp/{submitted_skp}/approve/").status_code == 403


def test_peer_refused(org, submitted_skp):
    peer = client_for(org.peer.user)
    assert peer.post(f"/api/v1/skp/{submitted_skp}/approve/").status_code == 403
    assert peer.post(f"/api/v1/skp/{submitted_skp}/return/", {"note": "x"}).status_code == 403
    assert peer.get("/api/v1/skp/?scope=to_review").json()["count"] == 0
    assert _status(submitted_skp) == "submitted"


def test_owner_refused_even_as_plt_of_their_own_superior_position(org, submitted_skp):
    factories.ActingAssignmentFactory(employee=org.owner, position=org.head_position)
    owner = client_for(org.owner.user)
    assert owner.post(f"/api/v1/skp/{submitted_skp}/approve/").status_code == 403
    assert owner.post(f"/api/v1/skp/{submitted_skp}/return/", {"note": "x"}).status_code == 403
    assert owner.get("/api/v1/skp/?scope=to_review").json()["count"] == 0
    assert _status(submitted_skp) == "submitted"
    assert not SkpEvent.objects.filter(action__in=["approved", "returned"]).exists()


def test_owner_cannot_approve_own_skp(org, submitted_skp):
    assert (
        client_for(org.owner.user).post(f"/api/v1/skp/{submitted_skp}/approve/").status_code == 403
    )


def test_a_new_superior_while_submitted_gets_the_skp(org, submitted_skp):
    # The head moves away; a new head is appointed while the SKP waits.
    holding = org.head.holdings.get()
    holding.end_date = TODAY - DAY
    holding.save()
    new_head = factories.EmployeeFactory(name="Dewi Lestari")
    factories.PositionHoldingFactory(
        employee=new_head, position=org.head_position, start_date=TODAY
    )
    assert (
        client_for(org.head.user).post(f"/api/v1/skp/{submitted_skp}/approve/").status_code == 403
    )
    new = client_for(new_head.user)
    assert [r["id"] for r in new.get("/api/v1/skp/?scope=to_review").json()["results"]] == [
        submitted_skp
    ]
    approved = new.post(f"/api/v1/skp/{submitted_skp}/approve/")
    assert approved.status_code == 200
    assert approved.json()["pejabat_penilai"]["name"] == "Dewi Lestari"


def test_submit_refused_when_the_superior_position_is_vacant(org):
    holding = org.head.holdings.get()
    holding.end_date = TODAY - DAY
    holding.save()
    owner = client_for(org.owner.user)
    skp_id = owner.post("/api/v1/skp/", {"year": TODAY.year}).json()["id"]
    from tests.skp.conftest import add_content

    add_content(owner, skp_id)
    assert owner.post(f"/api/v1/skp/{skp_id}/submit/").status_code == 400
    assert _status(skp_id) == "draft"
    # A PLT appointed to the vacant position makes it possible.
    factories.ActingAssignmentFactory(position=org.head_position)
    assert owner.post(f"/api/v1/skp/{skp_id}/submit/").status_code == 200


def test_approving_a_draft_is_a_conflict(org):
    owner = client_for(org.owner.user)
    skp_id = owner.post("/api/v1/skp/", {"year": TODAY.year}).json()["id"]
    assert client_for(org.head.user).post(f"/api/v1/skp/{skp_id}/approve/").status_code == 409
    assert _status(skp_id) == "draft"
