"""Business actions on service requests and staff tasks.

Every function is one transaction: it checks the rules, calls the request's
`@transition` method, writes the history row (`RequestEvent`) and announces the
transition with `workflow.signals.request_transitioned` *inside* the transaction (after
the history row), so listeners' rows commit or roll back with it. Pages, the API, the
counter, Celery and the WhatsApp bot all call these same functions; who may act is
decided by `workflow.roles`.

Locking order, everywhere: the request row, then its task row (`select_for_update`), so
two people acting on the same request at once are serialised and the loser gets 409.

    requests.py   the applicant's side: validate, submit, resubmit, cancel
    claims.py     who holds a task: claim, release, assign (one claim sequence)
    decisions.py  approve, return, reject, and task_complete dispatching to them
    timeouts.py   deadlines passed (the flow's timers): overdue task, no correction in time
"""

from .claims import task_assign, task_claim, task_release, tasks_assign, tasks_claim
from .decisions import task_approve, task_complete, task_reject, task_return
from .requests import (
    service_request_cancel,
    service_request_resubmit,
    service_request_submit,
    service_request_validate,
)
from .timeouts import request_close_unanswered, supervisors_of, task_mark_overdue

__all__ = [
    "request_close_unanswered",
    "service_request_cancel",
    "service_request_resubmit",
    "service_request_submit",
    "service_request_validate",
    "supervisors_of",
    "task_approve",
    "task_assign",
    "task_claim",
    "task_complete",
    "task_mark_overdue",
    "task_reject",
    "task_release",
    "task_return",
    "tasks_assign",
    "tasks_claim",
]
