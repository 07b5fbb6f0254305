r"""The one generic viewflow flow that walks a request through its service's steps, and
owns its deadlines.

The catalogue's steps are data, so the flow has a single "current step" node that loops:

    start -> step -> route --(next_step)--> step
              :          \--(correction)--> correction -> step
              :                               :
              :                               :(correct-by date passed, interrupting)
              :                               v
              :                           close_unanswered -> end
              :(due date passed, non-interrupting)
              v
            overdue -> overdue_noted          route --(finished)--> end

What viewflow does here (its real job):
- **Deadlines.** Each `step` task carries a timer boundary event (`.OnTimeout`,
  `interrupting=False`) due when the staff task's working-day due date has passed; it
  fires `overdue` (flag, staff-side history row, the unit's supervisors told) while the
  step keeps running. The `correction` wait carries an interrupting timer due when the
  service's `correction_days` have passed since the return: `close_unanswered` closes
  the request as cancelled. Both are database rows (`viewflow.workflow.models.Task`,
  `scheduled`), fired by viewflow's dispatcher (`viewflow.workflow.timers`, the
  `workflow_timers` command; `workflow.tasks.fire_workflow_timers` from beat, or the
  in-process beat thread of `manage.py serve` without Redis). A step or correction that
  ends first cancels its timer.
- **Routing.** `route` decides from process data: the services record the decision's
  outcome (`Outcome`) in `process.data["outcome"]` as they move the flow.

What stays ours, on purpose (decisions kept visible here):
- The request's status is the django-fsm field: the public truth, read by the API,
  pages and WhatsApp. viewflow's process status only follows it.
- The staff queue is our `Task` model (unit, due date, assignee, overdue flag, the
  contract's filters), and who may act is `workflow.roles` (viewflow's permissions are
  model-level, not per unit).
- The services are the entry points and each moves the flow inside its own transaction
  (`flow_started`, `flow_step_decided`, ...), so the process commits or rolls back with
  the transition. viewflow runs headless (`VIEWFLOW={"AUTOREGISTER": False}`).
- Locking: `RequestLock` takes the request row (`SELECT ... FOR UPDATE`), the lock every
  service takes first, so a timer firing and a staff or applicant action on the same
  request are serialised in the services' lock order.
- SKP stays a pure django-fsm machine (see README, "Workflow engine"): it has no
  deadlines, waits or routing for an engine to own.
"""

from django.contrib.contenttypes.models import ContentType
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.models import Process
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.status import STATUS

from . import flow_nodes
from .deadlines import correction_due_date, passed_from
from .models import ServiceRequest, Task
from .services import timeouts


class Outcome:
    """What a staff decision did, recorded in `process.data["outcome"]` for `route`."""

    NEXT_STEP = "next_step"
    CORRECTION = "correction"
    FINISHED = "finished"


class ServiceRequestFlow(flow.Flow):
    process_class = Process
    lock_impl = flow_nodes.RequestLock()

    start = flow_nodes.StartHandle(this.start_process).Next(this.step)
    step = (
        flow_nodes.Handle()
        .OnTimeout(this.step_overdue_at, this.overdue, interrupting=False)
        .Next(this.route)
    )
    overdue = flow.Function(this.mark_overdue).Next(this.overdue_noted)
    overdue_noted = flow.End()
    route = (
        flow_nodes.Switch()
        .Case(this.step, cond=this.moves_on)
        .Case(this.correction, cond=this.is_returned)
        .Default(this.end)
    )
    correction = (
        flow_nodes.Handle()
        .OnTimeout(this.correction_closes_at, this.close_unanswered)
        .Next(this.step)
    )
    close_unanswered = flow.Function(this.close_request).Next(this.end)
    end = flow.End()

    def start_process(self, activation, request):
        activation.process.artifact = request
        activation.process.data = {"registration_number": request.registration_number}
        return activation.process

    # --- routing: from process data --------------------------------------------------

    def moves_on(self, activation):
        return activation.process.data.get("outcome") == Outcome.NEXT_STEP

    def is_returned(self, activation):
        return activation.process.data.get("outcome") == Outcome.CORRECTION

    # --- the step's deadline ---------------------------------------------------------

    def step_overdue_at(self, activation):
        """When the staff task just opened for this step is overdue (the day after its
        due date); the timer remembers which task it watches."""
        move = flow_nodes.service_move.get()
        request_id = activation.process.artifact_object_id
        if move is not None and move[1] is not None and move[0] == request_id:
            task = move[1]
        else:
            task = (
                Task.objects.filter(request_id=request_id, status=Task.Status.OPEN)
                .only("pk", "due_date")
                .get()
            )
        activation.task.data = {"task_id": task.pk}
        return passed_from(task.due_date)

    def mark_overdue(self, activation):
        timer = activation.task.previous.get()
        timeouts.task_mark_overdue(task_id=timer.data["task_id"])

    # --- the correction's deadline ---------------------------------------------------

    def correction_closes_at(self, activation):
        request = ServiceRequest.objects.select_related("service").get(
            pk=activation.process.artifact_object_id
        )
        correct_by = request.correction_due_date or correction_due_date(
            timezone.localdate(), request.service.correction_days
        )
        return passed_from(correct_by)

    def close_request(self, activation):
        timeouts.request_close_unanswered(request_id=activation.process.artifact_object_id)


# --- what the services call, inside their own transaction ---------------------------


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


def _waiting(request, node) -> FlowTask | None:
    """The request's task waiting at `node`, with its process: one query (a process and
    then its task were two, and viewflow read the process twice more)."""
    content_type = ContentType.objects.get_for_model(ServiceRequest)
    return (
        FlowTask.objects.select_related("process")
        .filter(
            process__flow_class=ServiceRequestFlow,
            process__artifact_content_type=content_type,
            process__artifact_object_id=request.pk,
            flow_task=node,
            status=STATUS.NEW,
        )
        .order_by("-pk")
        .first()
    )


def flow_started(request, *, opened: Task) -> None:
    """The request was submitted with `opened`, its first staff task: start its process
    (it waits at `step`, its deadline armed)."""
    with flow_nodes.moved_by_service(request, opened):
        ServiceRequestFlow.start.run(request=request)


def flow_step_decided(request, *, outcome: str, opened: Task | None = None) -> None:
    """The current step was decided (`opened`: the next step's staff task, if any):
    record the outcome, leave `step` (its timer is cancelled) and let `route` take the
    next step, the correction wait or the end."""
    task = _waiting(request, ServiceRequestFlow.step)
    if task is not None:
        process = task.process
        process.data = {**(process.data or {}), "outcome": outcome}
        process.save(update_fields=["data"])
        with flow_nodes.moved_by_service(request, opened):
            ServiceRequestFlow.step.run(task)


def flow_resubmitted(request, *, opened: Task) -> None:
    """The applicant corrected the request (`opened`: the step's new staff task): leave
    `correction` (its timer is cancelled), back into `step`."""
    task = _waiting(request, ServiceRequestFlow.correction)
    if task is not None:
        with flow_nodes.moved_by_service(request, opened):
            ServiceRequestFlow.correction.run(task)


def flow_arm_missing_timers() -> int:
    """Arm the deadline timer of every waiting `step` / `correction` task that has none:
    processes started before the flow owned deadlines (`manage.py workflow_arm_timers`,
    once after that upgrade; idempotent). Returns how many were armed."""
    armed = 0
    for node in (ServiceRequestFlow.step, ServiceRequestFlow.correction):
        (boundary,) = node._boundary_events
        waiting = FlowTask.objects.filter(flow_task=node, status=STATUS.NEW).exclude(
            leading__flow_task=boundary
        )
        for task in waiting.order_by("pk"):
            with ServiceRequestFlow.lock(task.process_id):
                task.refresh_from_db()
                if task.status != STATUS.NEW or task.leading.filter(flow_task=boundary).exists():
                    continue
                # viewflow arms a boundary event when it creates the host task; this
                # repeats that one call (`_arm`) for hosts created without one.
                boundary._arm(node.activation_class(task))
                armed += 1
    return armed


def flow_cancelled(request) -> None:
    """The applicant cancelled: the process and its armed timers are cancelled."""
    process = _process_of(request)
    if process is not None and process.finished is None:
        with flow_nodes.moved_by_service(request, None):
            ServiceRequestFlow.instance.cancel(process)
