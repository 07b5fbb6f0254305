"""The SKP validation flow through the API: draft, submitted, returned, submitted, approved."""

import pytest

from skp.models import Indicator, Rhk, Skp, SkpEvent
from skp.signals import skp_transitioned
from tests.skp.conftest import YEAR, add_content, client_for

pytestmark = pytest.mark.django_db


def test_full_path_draft_submitted_returned_submitted_approved(
    org, django_capture_on_commit_callbacks
):
    owner, head = client_for(org.owner.user), client_for(org.head.user)
    announced = []

    def listener(sender, **kwargs):
        announced.append((kwargs["action"], kwargs["skp_id"], kwargs["event_id"]))

    skp_transitioned.connect(listener)
    try:
        with django_capture_on_commit_callbacks(execute=True):
            created = owner.post("/api/v1/skp/", {"year": YEAR})
            assert created.status_code == 201
            skp_id = created.json()["id"]
            assert created.json()["status"] == "draft"
            rhk_id, indicator_id = add_content(owner, skp_id)

            assert owner.post(f"/api/v1/skp/{skp_id}/submit/").json()["status"] == "submitted"
            to_review = head.get("/api/v1/skp/?scope=to_review").json()
            assert [item["id"] for item in to_review["results"]] == [skp_id]
            assert to_review["results"][0]["acting_as"] is None

            returned = head.post(f"/api/v1/skp/{skp_id}/return/", {"note": "Target terlalu rendah"})
            assert returned.status_code == 200
            assert returned.json()["status"] == "returned"

            # Editable again by the owner.
            patched = owner.patch(
                f"/api/v1/skp/{skp_id}/rhk/{rhk_id}/indicators/{indicator_id}/", {"target": "12"}
            )
            assert patched.status_code == 200
            assert patched.json()["target"] == "12"
            assert owner.post(f"/api/v1/skp/{skp_id}/submit/").json()["status"] == "submitted"

            approved = head.post(f"/api/v1/skp/{skp_id}/approve/")
            assert approved.status_code == 200
            assert approved.json()["status"] == "approved"
    finally:
        skp_transitioned.disconnect(listener)

    detail = owner.get(f"/api/v1/skp/{skp_id}/").json()
    assert detail["rhk"][0]["indicators"][0]["target"] == "12"
    assert detail["pejabat_penilai"]["name"] == "Ahmad Fauzi"
    assert len(detail["perilaku_kerja"]) == 7

    history = owner.get(f"/api/v1/skp/{skp_id}/history/").json()
    assert [(h["action"], h["from_status"], h["to_status"]) for h in history] == [
        ("created", None, "draft"),
        ("submitted", "draft", "submitted"),
        ("returned", "submitted", "returned"),
        ("submitted", "returned", "submitted"),
        ("approved", "submitted", "approved"),
    ]
    assert history[2]["note"] == "Target terlalu rendah"
    assert history[2]["actor"] == "fauzi"
    assert all(h["acting_as"] is None for h in history)
    assert set(history[0]) == {
        "at",
        "action",
        "actor",
        "acting_as",
        "from_status",
        "to_status",
        "note",
    }

    event_ids = list(SkpEvent.objects.exclude(action="created").values_list("id", flat=True))
    assert announced == [
        (action, skp_id, event_id)
        for action, event_id in zip(
            ["submitted", "returned", "submitted", "approved"], event_ids, strict=True
        )
    ]


def test_a_second_skp_for_the_same_year_is_a_conflict(org):
    owner = client_for(org.owner.user)
    assert owner.post("/api/v1/skp/", {"year": YEAR}).status_code == 201
    second = owner.post("/api/v1/skp/", {"year": YEAR})
    assert second.status_code == 409
    assert "detail" in second.json()
    assert Skp.objects.count() == 1
    assert owner.post("/api/v1/skp/", {"year": YEAR + 1}).status_code == 201


@pytest.mark.parametrize("year", ["", "abc", 1999, 2101])
def test_create_refuses_a_bad_year(org, year):
    response = client_for(org.owner.user).post("/api/v1/skp/", {"year": year})
    assert response.status_code == 400
    assert "year" in response.json()
    assert not Skp.objects.exists()


def test_create_refused_to_a_user_without_an_employee(db):
    from tests.factories import UserFactory

    response = client_for(UserFactory()).post("/api/v1/skp/", {"year": YEAR})
    assert response.status_code == 403
    assert not Skp.objects.exists()


def test_submit_without_indicators_is_a_400(org):
    owner = client_for(org.owner.user)
    skp_id = owner.post("/api/v1/skp/", {"year": YEAR}).json()["id"]
    empty = owner.post(f"/api/v1/skp/{skp_id}/submit/")
    assert empty.status_code == 400
    assert "detail" in empty.json()

    owner.post(f"/api/v1/skp/{skp_id}/rhk/", {"text": "RHK tanpa indikator"})
    no_indicator = owner.post(f"/api/v1/skp/{skp_id}/submit/")
    assert no_indicator.status_code == 400

    skp = Skp.objects.get()
    assert skp.status == "draft"
    assert skp.submitted_at is None
    assert skp.employee_name == ""
    assert list(skp.events.values_list("action", flat=True)) == ["created"]


def test_return_without_a_note_is_a_400(org, submitted_skp):
    head = client_for(org.head.user)
    for body in [{}, {"note": ""}, {"note": "   "}]:
        response = head.post(f"/api/v1/skp/{submitted_skp}/return/", body)
        assert response.status_code == 400
        assert "note" in response.json()
    assert Skp.objects.get().status == "submitted"
    assert not SkpEvent.objects.filter(action="returned").exists()


def test_editing_refused_after_submission(org, submitted_skp):
    owner = client_for(org.owner.user)
    rhk = Rhk.objects.get()
    indicator = Indicator.objects.get()
    base = f"/api/v1/skp/{submitted_skp}/rhk/"
    attempts = [
        owner.post(base, {"text": "RHK baru"}),
        owner.patch(f"{base}{rhk.pk}/", {"text": "Diubah"}),
        owner.delete(f"{base}{rhk.pk}/"),
        owner.post(f"{base}{rhk.pk}/indicators/", {"text": "x", "target": "1", "unit": "u"}),
        owner.patch(f"{base}{rhk.pk}/indicators/{indicator.pk}/", {"target": "99"}),
        owner.delete(f"{base}{rhk.pk}/indicators/{indicator.pk}/"),
        owner.post(f"/api/v1/skp/{submitted_skp}/submit/"),
    ]
    assert [a.status_code for a in attempts] == [409] * len(attempts)
    rhk.refresh_from_db()
    indicator.refresh_from_db()
    assert rhk.text == "Tersusunnya data EMIS madrasah"
    assert indicator.target == "4"
    assert Rhk.objects.count() == 1 and Indicator.objects.count() == 1


def test_only_the_owner_edits(org):
    owner = client_for(org.owner.user)
    skp_id = owner.post("/api/v1/skp/", {"year": YEAR}).json()["id"]
    rhk_id, indicator_id = add_content(owner, skp_id)
    for other in [org.head.user, org.peer.user]:
        client = client_for(other)
        assert client.post(f"/api/v1/skp/{skp_id}/rhk/", {"text": "x"}).status_code == 403
        assert client.delete(f"/api/v1/skp/{skp_id}/rhk/{rhk_id}/").status_code == 403
        assert (
            client.patch(
                f"/api/v1/skp/{skp_id}/rhk/{rhk_id}/indicators/{indicator_id}/", {"target": "0"}
            ).status_code
            == 403
        )
        assert client.post(f"/api/v1/skp/{skp_id}/submit/").status_code == 403
    assert Rhk.objects.count() == 1
    assert Indicator.objects.get().target == "4"


def test_rhk_and_indicator_input_is_validated(org):
    owner = client_for(org.owner.user)
    skp_id = owner.post("/api/v1/skp/", {"year": YEAR}).json()["id"]
    assert owner.post(f"/api/v1/skp/{skp_id}/rhk/", {"text": ""}).status_code == 400
    assert (
        owner.post(f"/api/v1/skp/{skp_id}/rhk/", {"text": "x", "kind": "other"}).status_code == 400
    )
    bad_parent = owner.post(f"/api/v1/skp/{skp_id}/rhk/", {"text": "x", "parent_rhk": 999999})
    assert bad_parent.status_code == 400
    assert "parent_rhk" in bad_parent.json()
    rhk_id = owner.post(f"/api/v1/skp/{skp_id}/rhk/", {"text": "RHK"}).json()["id"]
    bad_aspect = owner.post(
        f"/api/v1/skp/{skp_id}/rhk/{rhk_id}/indicators/",
        {"text": "x", "target": "1", "unit": "u", "aspect": "beauty"},
    )
    assert bad_aspect.status_code == 400
    assert "aspect" in bad_aspect.json()
    assert Rhk.objects.count() == 1
    assert not Indicator.objects.exists()
    assert owner.delete(f"/api/v1/skp/{skp_id}/rhk/{rhk_id}/").status_code == 204
    assert not Rhk.objects.exists()


def test_parent_rhk_must_come_from_the_superior_positions_skp_of_that_year(org):
    head, owner, peer = (
        client_for(org.head.user),
        client_for(org.owner.user),
        client_for(org.peer.user),
    )
    head_skp = head.post("/api/v1/skp/", {"year": YEAR}).json()["id"]
    head_rhk = head.post(f"/api/v1/skp/{head_skp}/rhk/", {"text": "Mutu madrasah"}).json()["id"]
    peer_skp = peer.post("/api/v1/skp/", {"year": YEAR}).json()["id"]
    peer_rhk = peer.post(f"/api/v1/skp/{peer_skp}/rhk/", {"text": "Kurikulum"}).json()["id"]
    old_head_skp = head.post("/api/v1/skp/", {"year": YEAR - 1}).json()["id"]
    old_head_rhk = head.post(f"/api/v1/skp/{old_head_skp}/rhk/", {"text": "Lama"}).json()["id"]

    skp_id = owner.post("/api/v1/skp/", {"year": YEAR}).json()["id"]
    derived = owner.post(
        f"/api/v1/skp/{skp_id}/rhk/", {"text": "Data mutu madrasah", "parent_rhk": head_rhk}
    )
    assert derived.status_code == 201
    assert derived.json()["parent_rhk"] == head_rhk
    for wrong in [peer_rhk, old_head_rhk]:
        refused = owner.post(f"/api/v1/skp/{skp_id}/rhk/", {"text": "x", "parent_rhk": wrong})
        assert refused.status_code == 400
        assert "parent_rhk" in refused.json()
        patched = owner.patch(
            f"/api/v1/skp/{skp_id}/rhk/{derived.json()['id']}/", {"parent_rhk": wrong}
        )
        assert patched.status_code == 400
    assert Rhk.objects.get(pk=derived.json()["id"]).parent_rhk_id == head_rhk


def test_detail_and_history_visible_to_owner_and_approver_only(org, submitted_skp):
    for user in [org.owner.user, org.head.user]:
        client = client_for(user)
        assert client.get(f"/api/v1/skp/{submitted_skp}/").status_code == 200
        assert client.get(f"/api/v1/skp/{submitted_skp}/history/").status_code == 200
    peer = client_for(org.peer.user)
    assert peer.get(f"/api/v1/skp/{submitted_skp}/").status_code == 404
    assert peer.get(f"/api/v1/skp/{submitted_skp}/history/").status_code == 404
    assert peer.get("/api/v1/skp/999999/").status_code == 404
    from rest_framework.test import APIClient

    assert APIClient().get(f"/api/v1/skp/{submitted_skp}/").status_code == 401


def test_list_mine_and_bad_scope(org, submitted_skp):
    owner = client_for(org.owner.user)
    mine = owner.get("/api/v1/skp/?scope=mine").json()
    assert set(mine) == {"count", "next", "previous", "results"}
    assert [item["id"] for item in mine["results"]] == [submitted_skp]
    assert client_for(org.peer.user).get("/api/v1/skp/").json()["count"] == 0
    assert owner.get("/api/v1/skp/?scope=everything").status_code == 400


def test_reopen_is_the_revision_path_of_an_approved_skp(org, submitted_skp):
    owner, head = client_for(org.owner.user), client_for(org.head.user)
    assert head.post(f"/api/v1/skp/{submitted_skp}/approve/").status_code == 200
    assert owner.post(f"/api/v1/skp/{submitted_skp}/rhk/", {"text": "x"}).status_code == 409
    assert head.post(f"/api/v1/skp/{submitted_skp}/return/", {"note": "x"}).status_code == 409
    assert head.post(f"/api/v1/skp/{submitted_skp}/reopen/", {}).status_code == 400
    assert owner.post(f"/api/v1/skp/{submitted_skp}/reopen/", {"note": "x"}).status_code == 403
    reopened = head.post(f"/api/v1/skp/{submitted_skp}/reopen/", {"note": "Revisi renstra"})
    assert reopened.status_code == 200
    assert reopened.json()["status"] == "returned"
    assert reopened.json()["approved_at"] is None
    add_content(owner, submitted_skp, rhk_text="RHK tambahan")
    assert owner.post(f"/api/v1/skp/{submitted_skp}/submit/").status_code == 200
    history = owner.get(f"/api/v1/skp/{submitted_skp}/history/").json()
    assert [h["action"] for h in history][-3:] == ["approved", "reopened", "submitted"]
    assert history[-2]["note"] == "Revisi renstra"
    assert (history[-2]["from_status"], history[-2]["to_status"]) == ("approved", "returned")


def test_one_rhk_cannot_have_two_indicators_of_the_same_name(org):
    owner = client_for(org.owner.user)
    skp_id = owner.post("/api/v1/skp/", {"year": YEAR}).json()["id"]
    rhk_id, indicator_id = add_content(owner, skp_id)  # "Data EMIS diperbarui"
    url = f"/api/v1/skp/{skp_id}/rhk/{rhk_id}/indicators/"
    same = owner.post(url, {"text": "  data emis  DIPERBARUI ", "target": "1", "unit": "x"})
    assert same.status_code == 400
    assert "text" in same.json()
    assert Indicator.objects.count() == 1

    other = owner.post(url, {"text": "Data EMIS tervalidasi", "target": "1", "unit": "x"})
    assert other.status_code == 201
    renamed = owner.patch(f"{url}{other.json()['id']}/", {"text": "Data EMIS diperbarui"})
    assert renamed.status_code == 400
    assert Indicator.objects.get(pk=other.json()["id"]).text == "Data EMIS tervalidasi"
    # Keeping its own name on an update is fine; another RHK may reuse the name.
    assert owner.patch(f"{url}{indicator_id}/", {"target": "5"}).status_code == 200
    other_rhk = owner.post(f"/api/v1/skp/{skp_id}/rhk/", {"text": "RHK kedua"}).json()["id"]
    reused = owner.post(
        f"/api/v1/skp/{skp_id}/rhk/{other_rhk}/indicators/",
        {"text": "Data EMIS diperbarui", "target": "1", "unit": "x"},
    )
    assert reused.status_code == 201
