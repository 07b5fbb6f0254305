r"""The one generic viewflow flow that walks a request through its service's steps.

The catalogue's steps are data, so the flow has a single "current step" node that loops:

    start -> step -> route --(moved to another step)--> step
                         \--(returned: needs_info)--> correction -> step
                         \--(completed / rejected)--> end

viewflow runs headless (no viewflow pages, `VIEWFLOW={"AUTOREGISTER": False}`): our
services stay the entry points, our `Task` rows stay the staff queue (unit, due date,
assignee), and the request's status stays the django-fsm field. Each service calls one
function here inside its own transaction, after its transition, so the flow's process
and tasks commit or roll back with it. Permissions are ours (viewflow's are model-level).
"""

from django.contrib.contenttypes.models import ContentType
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.models import Process
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import STATUS

from .models import RequestStatus, ServiceRequest


class ServiceRequestFlow(flow.Flow):
    process_class = Process

    start = flow.StartHandle(this.start_process).Next(this.step)
    step = flow.Handle().Next(this.route)
    route = (
        flow.Switch()
        .Case(this.step, cond=this.is_moving_on)
        .Case(this.correction, cond=this.is_returned)
        .Default(this.end)
    )
    correction = flow.Handle().Next(this.step)
    end = flow.End()

    def start_process(self, activation, request):
        activation.process.artifact = request
        activation.process.data = {"registration_number": request.registration_number}
        return activation.process

    @staticmethod
    def _status(activation):
        return (
            ServiceRequest.objects.filter(pk=activation.process.artifact_object_id)
            .values_list("status", flat=True)
            .first()
        )

    def is_moving_on(self, activation):
        return self._status(activation) == RequestStatus.IN_PROGRESS

    def is_returned(self, activation):
        return self._status(activation) == RequestStatus.NEEDS_INFO


def _process_of(request) -> Process | None:
    content_type = ContentType.objects.get_for_model(ServiceRequest)
    return (
        Process.objects.filter(
            flow_class=ServiceRequestFlow,
            artifact_content_type=content_type,
            artifact_object_id=request.pk,
        )
        .order_by("-pk")
        .first()
    )


def _waiting(process, node) -> FlowTask | None:
    return (
        FlowTask.objects.filter(process=process, flow_task=node, status=STATUS.NEW)
        .order_by("-pk")
        .first()
    )


def flow_started(request) -> None:
    """The request was submitted: start its process (it waits at `step`)."""
    ServiceRequestFlow.start.run(request=request)


def flow_step_decided(request) -> None:
    """The current step was decided (approve/return/reject): leave `step`, the gateway
    routes by the request's new status (next step, correction, or the end)."""
    process = _process_of(request)
    task = _waiting(process, ServiceRequestFlow.step) if process else None
    if task is not None:
        ServiceRequestFlow.step.run(task)


def flow_resubmitted(request) -> None:
    """The applicant corrected the request: leave `correction`, back into `step`."""
    process = _process_of(request)
    task = _waiting(process, ServiceRequestFlow.correction) if process else None
    if task is not None:
        ServiceRequestFlow.correction.run(task)


def flow_cancelled(request) -> None:
    process = _process_of(request)
    if process is not None and process.finished is None:
        ServiceRequestFlow.instance.cancel(process)
