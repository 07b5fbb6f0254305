import pytest

from config.exceptions import NotFound
from tests import factories
from tests.workflow.fixtures import umrah_data
from workflow import selectors, services

pytestmark = pytest.mark.django_db


def test_queue_and_mine_are_filtered_by_unit(umrah, staff, outsider):
    req = factories.submit_request(umrah, data=umrah_data())
    task = req.tasks.get()
    assert list(selectors.tasks_for_user(staff, "queue")) == [task]
    assert list(selectors.tasks_for_user(staff, "mine")) == []
    assert list(selectors.tasks_for_user(outsider, "queue")) == []
    services.task_claim(task=task, user=staff)
    assert list(selectors.tasks_for_user(staff, "queue")) == []
    assert list(selectors.tasks_for_user(staff, "mine")) == [task]


def test_request_for_applicant_needs_the_token(umrah):
    req = factories.submit_request(umrah, data=umrah_data())
    typed = req.registration_number.lower().replace("-", " ")
    assert selectors.request_for_applicant(typed, req.access_token) == req
    with pytest.raises(NotFound):
        selectors.request_for_applicant(req.registration_number, "wrong")
    with pytest.raises(NotFound):
        selectors.request_for_applicant("KJB-2026-99999-0", req.access_token)


def test_request_for_staff(umrah, staff, tu_staff, outsider):
    req = factories.submit_request(umrah, data=umrah_data())
    assert selectors.request_for_staff(staff, req.registration_number) == req
    # the unit of a later step sees it too
    assert selectors.request_for_staff(tu_staff, req.registration_number) == req
    with pytest.raises(NotFound):
        selectors.request_for_staff(outsider, req.registration_number)


def test_public_timeline_has_no_personal_data(umrah, staff):
    req = factories.submit_request(umrah, data=umrah_data())
    services.task_claim(task=req.tasks.get(), user=staff)
    timeline = selectors.public_timeline(selectors.request_by_number(req.registration_number))
    assert [s["state"] for s in timeline["steps"]] == ["current", "pending", "pending"]
    assert [h["status"] for h in timeline["history"]] == ["submitted", "in_progress"]
    text = repr(timeline)
    assert "Siti" not in text and "6281" not in text and "PT Amanah" not in text
