"""The generic viewflow flow follows every request headless, in the services' transactions."""

import pytest
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import PROCESS, STATUS

from tests import factories
from tests.workflow.fixtures import umrah_data
from workflow import flows, services
from workflow.flows import ServiceRequestFlow

pytestmark = pytest.mark.django_db


def waiting_nodes(request):
    process = flows._process_of(request)
    return [
        t.flow_task.name
        for t in FlowTask.objects.filter(process=process, status=STATUS.NEW).order_by("pk")
    ]


def test_the_flow_walks_steps_returns_and_ends(umrah, staff, tu_staff):
    req = factories.submit_request(umrah, data=umrah_data())
    assert waiting_nodes(req) == ["step"]
    services.task_complete(task=req.tasks.get(), user=staff, decision="return", note="KTP")
    assert waiting_nodes(req) == ["correction"]
    services.service_request_resubmit(request=req, data={}, documents={})
    assert waiting_nodes(req) == ["step"]
    for order, user in ((1, staff), (2, staff)):
        task = req.tasks.get(step__order=order, status="open")
        services.task_complete(task=task, user=user, decision="approve")
        assert waiting_nodes(req) == ["step"]
    services.task_complete(
        task=req.tasks.get(step__order=3),
        user=tu_staff,
        decision="approve",
        result_file=factories.pdf_upload(),
    )
    process = flows._process_of(req)
    assert (process.status, waiting_nodes(req)) == (PROCESS.DONE, [])
    assert process.artifact == req
    done = FlowTask.objects.filter(process=process, flow_task=ServiceRequestFlow.step).count()
    assert done == 4  # step 1 twice (returned), steps 2 and 3


def test_cancel_cancels_the_process(umrah):
    req = factories.submit_request(umrah, data=umrah_data())
    services.service_request_cancel(request=req)
    process = flows._process_of(req)
    assert process.status == PROCESS.CANCELED and waiting_nodes(req) == []


def test_a_failed_decision_leaves_the_flow_untouched(umrah, staff):
    from config.exceptions import ApplicationError

    req = factories.submit_request(umrah, data=umrah_data())
    with pytest.raises(ApplicationError):
        services.task_complete(task=req.tasks.get(), user=staff, decision="reject", note="")
    assert waiting_nodes(req) == ["step"]
