"""Property test: random sequences of staff and applicant actions against a reference model.

Whatever the order, the services keep these invariants: the status follows the model, an
unfinished request has exactly one open task at its current step (none while returned or
finished), every successful transition adds exactly one public history row, and a refused
action changes nothing.
"""

import tempfile

from django.test import override_settings
from hypothesis import HealthCheck, settings
from hypothesis import strategies as st
from hypothesis.extra.django import TestCase
from hypothesis.stateful import RuleBasedStateMachine, invariant, rule

from config.exceptions import ApplicationError
from organization.models import StaffMembership
from tests import factories
from workflow import services
from workflow.models import RequestEvent, ServiceRequest, Task

FINAL = {"completed", "rejected", "cancelled"}


class Lifecycle(RuleBasedStateMachine):
    def __init__(self):
        super().__init__()
        office = factories.OfficeFactory()
        unit = factories.UnitFactory(office=office)
        service = factories.ServiceTypeFactory(unit=unit)
        factories.FormFieldFactory(service=service, code="keperluan")
        factories.StepFactory(service=service, order=1, may_return=True)
        factories.StepFactory(service=service, order=2, may_return=True)
        factories.StepFactory(service=service, order=3, produces_result=True)
        self.staff = []
        for _ in range(2):
            user = factories.UserFactory()
            StaffMembership.objects.create(user=user, unit=unit, role="staff")
            self.staff.append(user)
        self.req = factories.submit_request(service, data={"keperluan": "x"})
        # the reference model
        self.status, self.step, self.holder, self.transitions = "submitted", 1, None, 1

    def open_task(self):
        return Task.objects.filter(request=self.req, status="open").first()

    def attempt(self, action):
        try:
            action()
        except ApplicationError:
            return False
        return True

    @rule(who=st.integers(0, 1))
    def claim(self, who):
        task = self.open_task()
        if task is None:
            return
        ok = self.attempt(lambda: services.task_claim(task=task, user=self.staff[who]))
        expected = self.holder in (None, who)
        assert ok == expected
        if ok and self.holder is None:
            self.holder = who
            if self.status == "submitted":
                self.status, self.transitions = "in_progress", self.transitions + 1

    @rule(who=st.integers(0, 1))
    def release(self, who):
        task = self.open_task()
        if task is None:
            return
        ok = self.attempt(lambda: services.task_release(task=task, user=self.staff[who]))
        assert ok == (self.holder == who)
        if ok:
            self.holder = None

    @rule(
        who=st.integers(0, 1),
        decision=st.sampled_from(["approve", "return", "reject"]),
        note=st.sampled_from(["", "catatan"]),
        with_result=st.booleans(),
    )
    def decide(self, who, decision, note, with_result):
        task = self.open_task()
        if task is None:
            return
        result = factories.pdf_upload() if with_result else None
        ok = self.attempt(
            lambda: services.task_complete(
                task=task, user=self.staff[who], decision=decision, note=note, result_file=result
            )
        )
        last = self.step == 3
        expected = self.holder in (None, who)
        if decision in ("return", "reject") and not note:
            expected = False
        if decision == "return" and last:
            expected = False
        if decision == "approve" and with_result != last:
            expected = False
        assert ok == expected, (decision, note, with_result, self.step, self.holder, who)
        if not ok:
            return
        if self.status == "submitted":
            self.transitions += 1  # the implicit first claim starts it
        self.holder = None
        self.transitions += 1
        if decision == "approve":
            self.status, self.step = ("completed", None) if last else ("in_progress", self.step + 1)
        elif decision == "return":
            self.status = "needs_info"
        else:
            self.status = "rejected"

    @rule()
    def resubmit(self):
        ok = self.attempt(
            lambda: services.service_request_resubmit(request=self.req, data={}, documents={})
        )
        assert ok == (self.status == "needs_info")
        if ok:
            self.status, self.transitions = "in_progress", self.transitions + 1

    @rule(dice=st.integers(0, 9))
    def cancel(self, dice):
        if dice:  # cancelling ends the story: keep it rare so long walks happen
            return
        ok = self.attempt(lambda: services.service_request_cancel(request=self.req))
        assert ok == (self.status not in FINAL)
        if ok:
            self.status, self.holder, self.transitions = "cancelled", None, self.transitions + 1

    @invariant()
    def matches_the_model(self):
        req = ServiceRequest.objects.get(pk=self.req.pk)
        assert req.status == self.status
        open_tasks = list(Task.objects.filter(request=req, status="open").select_related("step"))
        if self.status in FINAL or self.status == "needs_info":
            assert open_tasks == []
        else:
            assert len(open_tasks) == 1
            assert open_tasks[0].step.order == self.step == req.current_step.order
            holder = open_tasks[0].assigned_to
            assert holder == (self.staff[self.holder] if self.holder is not None else None)
        public = RequestEvent.objects.filter(request=req, is_transition=True).count()
        assert public == self.transitions


@override_settings(MEDIA_ROOT=tempfile.mkdtemp(prefix="alur-lifecycle-"))
class TestLifecycleModel(TestCase):
    def test_random_action_sequences_keep_the_invariants(self):
        # 25 walks of 30 actions: ~750 actions, each rule ~150 times across the model's dozen
        # states (60 walks took over 4 minutes of a loaded run).
        Lifecycle.TestCase.settings = settings(
            max_examples=25,
            stateful_step_count=30,
            deadline=None,
            suppress_health_check=[HealthCheck.too_slow],
        )
        from hypothesis.stateful import run_state_machine_as_test

        run_state_machine_as_test(Lifecycle, settings=Lifecycle.TestCase.settings)
