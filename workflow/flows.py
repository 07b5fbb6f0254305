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

import contextvars
import datetime
from contextlib import contextmanager

from django.contrib.contenttypes.models import ContentType
from django.db import transaction
from django.utils import timezone
from viewflow import this
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.flow import nodes as flow_nodes
from viewflow.workflow.models import Process
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.nodes import SwitchActivation
from viewflow.workflow.status import STATUS

from .deadlines import correction_due_date, passed_from
from .models import ServiceRequest, Task
from .services import timeouts


class Outcome:
    """What a staff decision did, recorded in `process.data["outcome"]` for `route`."""

    NEXT_STEP = "next_step"
    CORRECTION = "correction"
    FINISHED = "finished"


# Set while a workflow service moves the flow (`_moved_by_service`): the service holds the
# request's row lock already (it takes it first; a new request's row is its own until
# commit), and it names the staff task it just opened, so the flow's bookkeeping reads
# neither again (profiled: 4 of a submission's 37 queries).
_service_move: contextvars.ContextVar = contextvars.ContextVar("alur_flow_move", default=None)


@contextmanager
def _moved_by_service(request, opened: Task | None):
    token = _service_move.set((request.pk, opened))
    try:
        yield
    finally:
        _service_move.reset(token)


class RequestLock:
    """viewflow's process lock: the request row, in the services' lock order."""

    @contextmanager
    def __call__(self, flow_class, process_pk):
        if _service_move.get() is not None:
            # Called back inside a service that holds the row lock of this very request.
            assert transaction.get_connection().in_atomic_block
            with transaction.atomic(savepoint=False):
                yield
            return
        with transaction.atomic():
            request_ids = Process.objects.filter(pk=process_pk).values_list(
                "artifact_object_id", flat=True
            )
            list(ServiceRequest.objects.select_for_update().filter(pk__in=list(request_ids)))
            yield


class _TimerBoundary(flow_nodes.TimerBoundary):
    """viewflow's timer boundary, armed in one write when a service moves the flow:
    viewflow inserts the timer task, then schedules it in a savepoint (three more
    statements); the due moment is known before the insert, and an error propagates
    to the service's transaction anyway (`propagate_exception`)."""

    def _armed(self, host_activation):
        """The timer task for `host_activation`, scheduled, not saved yet."""
        task = self.flow_class.task_class(
            process=host_activation.process,
            flow_task=self,
            flow_task_type=self.task_type,
            token=host_activation.task.token,
        )
        task.data = {}
        due = self._delay(self.activation_class(task))
        if isinstance(due, datetime.timedelta):
            due = timezone.now() + due
        task.scheduled = due
        task.status = STATUS.SCHEDULED
        return task

    def _arm(self, host_activation):
        if _service_move.get() is None:
            return super()._arm(host_activation)
        task = self._armed(host_activation)
        task.save()
        task.previous.add(host_activation.task)
        return None

    def _on_host_finished(self, **signal_kwargs):
        """viewflow cancels the host's armed timer by reading it, then its process, and
        saving it whole (`TimerActivation.cancel`: the status and `finished`); when a
        service moves the flow that is this one conditional update (profiled: three
        statements of every decision and resubmission)."""
        if _service_move.get() is None:
            return super()._on_host_finished(**signal_kwargs)
        host_task = signal_kwargs["task"]
        if host_task.flow_task != self._attached_to:
            return None
        self.flow_class.task_class._default_manager.filter(
            flow_task=self,
            process_id=host_task.process_id,
            previous=host_task,
            status__in=[STATUS.NEW, STATUS.SCHEDULED],
        ).update(status=STATUS.CANCELED, finished=timezone.now())
        return None


class _Handle(flow.Handle):
    """viewflow's Handle, minus its re-read of the task when a service moves the flow:
    the service found the task under the request's row lock in this transaction (and
    the re-read dropped the task's process, read again at once)."""

    def _create_wrapper_function(self, origin_func, task):
        if _service_move.get() is None:
            return super()._create_wrapper_function(origin_func, task)

        def func(**kwargs):
            with self.flow_class.lock(task.process.pk):
                activation = self.activation_class(task)
                result = activation.run(origin_func, **kwargs)
                activation.execute()
                return result

        return func

    def _create(self, prev_activation, token, data=None, seed=None):
        """viewflow's `_create` when a service moves the flow: the task and its armed
        timers in one INSERT, their links to what precedes them in one more (viewflow
        saves each task, then adds its link: four statements for a step and its timer)."""
        timers = self._boundary_events
        if _service_move.get() is None or not all(isinstance(b, _TimerBoundary) for b in timers):
            return super()._create(prev_activation, token, data=data, seed=seed)
        task = self.flow_class.task_class(
            process=prev_activation.process,
            flow_task=self,
            flow_task_type=self.task_type,
            token=token,
        )
        task.data = data if data is not None else {}
        task.seed = seed
        activation = self.activation_class(task)
        armed = [timer._armed(activation) for timer in timers]
        FlowTask.objects.bulk_create([task, *armed])
        link = FlowTask.previous.through
        link.objects.bulk_create(
            [
                link(from_task_id=task.pk, to_task_id=prev_activation.task.pk),
                *(link(from_task_id=timer.pk, to_task_id=task.pk) for timer in armed),
            ],
            ignore_conflicts=True,
        )
        return activation

    def OnTimeout(self, delay, then, interrupting=True):  # noqa: N802 - viewflow's name
        """viewflow's `OnTimeout` with `_TimerBoundary`."""
        self._boundary_specs.append(
            ("timeout", _TimerBoundary(None, delay=delay, interrupting=interrupting).Next(then))
        )
        return self


class _SwitchActivation(SwitchActivation):
    """viewflow's switch, minus its savepoint when a service moves the flow: the
    conditions read process data only, and an error fails the service's transaction."""

    @Activation.status.super()
    def activate(self):
        if _service_move.get() is None:
            return super().activate.original()
        for node, cond in self.flow_task._branches:
            if cond is None or cond(self):
                self.next_task = node
                break
        if self.next_task is None:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")
        return None


class _Switch(flow.Switch):
    activation_class = _SwitchActivation


class ServiceRequestFlow(flow.Flow):
    process_class = Process
    lock_impl = RequestLock()

    start = flow.StartHandle(this.start_process).Next(this.step)
    step = (
        _Handle().OnTimeout(this.step_overdue_at, this.overdue, interrupting=False).Next(this.route)
    )
    overdue = flow.Function(this.mark_overdue).Next(this.overdue_noted)
    overdue_noted = flow.End()
    route = (
        _Switch()
        .Case(this.step, cond=this.moves_on)
        .Case(this.correction, cond=this.is_returned)
        .Default(this.end)
    )
    correction = (
        _Handle().OnTimeout(this.correction_closes_at, this.close_unanswered).Next(this.step)
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
        move = _service_move.get()
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
    with _moved_by_service(request, opened):
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
        with _moved_by_service(request, opened):
            ServiceRequestFlow.step.run(task)


def flow_resubmitted(request, *, opened: Task) -> None:
    """The applicant corrected the request (`opened`: the step's new staff task): leave
    `correction` (its timer is cancelled), back into `step`."""
    task = _waiting(request, ServiceRequestFlow.correction)
    if task is not None:
        with _moved_by_service(request, opened):
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
        with _moved_by_service(request, None):
            ServiceRequestFlow.instance.cancel(process)
