"""What the workflow announces. Higher rooms (notifications, tracking) listen; the
workflow never imports them.

`request_transitioned` is sent *inside* the transition's transaction, right after its
history row is written, so a listener's own rows (e.g. the WhatsApp outbox) commit or
roll back with the transition. Listeners must only write to the database there and
defer any I/O with `transaction.on_commit`.

Arguments: `request` (ServiceRequest), `event` (RequestEvent), `task` (the Task the
transition opened, or None).
"""

from django.dispatch import Signal

request_transitioned = Signal()
# Staff-facing: a task became overdue (kwargs: task, supervisors: list of users).
task_overdue = Signal()
