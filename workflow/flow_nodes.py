"""viewflow's nodes as Alur's flow uses them, trimmed when a workflow service moves the
flow inside its own transaction (`moved_by_service`): the service holds the request's
row lock and names the staff task it opened, and any error fails its transaction
whole, so viewflow's re-reads, savepoints and one-row-at-a-time writes are left out
(profiled, #11; docs/PERFORMANCE.md). Outside a service (timers firing, the admin)
each node behaves as viewflow's own."""

import contextvars
import datetime
from contextlib import contextmanager

from django.db import transaction
from django.utils import timezone
from viewflow.workflow import flow
from viewflow.workflow.activation import Activation
from viewflow.workflow.exceptions import FlowRuntimeError
from viewflow.workflow.flow import nodes as viewflow_nodes
from viewflow.workflow.models import Process
from viewflow.workflow.models import Task as FlowTask
from viewflow.workflow.nodes import SwitchActivation
from viewflow.workflow.nodes.start import StartHandleActivation
from viewflow.workflow.signals import flow_started, task_started
from viewflow.workflow.status import STATUS

from .models import ServiceRequest, Task

# Set while a workflow service moves the flow (`moved_by_service`): the service holds the
# request's row lock already (it takes it first; a new request's row is its own until
# commit), and it names the staff task it just opened, so the flow's bookkeeping reads
# neither again (profiled: 4 of a submission's 37 queries).
service_move: contextvars.ContextVar = contextvars.ContextVar("alur_flow_move", default=None)


@contextmanager
def moved_by_service(request, opened: Task | None):
    token = service_move.set((request.pk, opened))
    try:
        yield
    finally:
        service_move.reset(token)


class RequestLock:
    """viewflow's process lock: the request row, in the services' lock order."""

    @contextmanager
    def __call__(self, flow_class, process_pk):
        if service_move.get() is not None:
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


class TimerBoundary(viewflow_nodes.TimerBoundary):
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
        if service_move.get() is None:
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
        if service_move.get() is None:
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


class Handle(flow.Handle):
    """viewflow's Handle, minus its re-read of the task when a service moves the flow:
    the service found the task under the request's row lock in this transaction (and
    the re-read dropped the task's process, read again at once)."""

    def _create_wrapper_function(self, origin_func, task):
        if service_move.get() is None:
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
        if service_move.get() is None or not all(isinstance(b, TimerBoundary) for b in timers):
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
        """viewflow's `OnTimeout` with `TimerBoundary`."""
        self._boundary_specs.append(
            ("timeout", TimerBoundary(None, delay=delay, interrupting=interrupting).Next(then))
        )
        return self


class _SwitchActivation(SwitchActivation):
    """viewflow's switch, minus its savepoint when a service moves the flow: the
    conditions read process data only, and an error fails the service's transaction."""

    @Activation.status.super()
    def activate(self):
        if service_move.get() is None:
            return super().activate.original()
        for node, cond in self.flow_task._branches:
            if cond is None or cond(self):
                self.next_task = node
                break
        if self.next_task is None:
            raise FlowRuntimeError(f"No next task available for {self.flow_task.name}")
        return None


class Switch(flow.Switch):
    activation_class = _SwitchActivation


class _StartActivation(StartHandleActivation):
    """viewflow's start, minus its savepoint when a service starts the flow inside its
    own transaction (which a failure rolls back whole anyway)."""

    @Activation.status.super()
    def execute(self):
        if service_move.get() is None:
            return super().execute.original()
        task_started.send(sender=self.flow_class, process=self.process, task=self.task)
        self.process.save()
        with self.flow_class.lock(self.process.pk):
            self.complete()
            flow_started.send(sender=self.flow_class, process=self.process, task=self.task)
            self.activate_next()
        return None


class StartHandle(flow.StartHandle):
    activation_class = _StartActivation
