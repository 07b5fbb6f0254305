"""What the SKP room announces. Higher rooms (notifications) listen; skp never imports them.

`skp_transitioned` is sent once per transition (submit, approve, return, reopen), after
the transaction that made it has committed, with kwargs `skp_id`, `event_id` (SkpEvent)
and `action` (SkpEvent.Action value). Listeners load what they need by id;
`skp.selectors.skp_event_audience(event_id=, on=)` says whom to tell (the pejabat
penilai of a submission, the owner of a return, approval or reopening).

`skp_transition_recorded` is sent for the same transitions but INSIDE the transaction,
right after the SkpEvent row is written, with kwargs `skp` and `event`. Listeners write
rows only (e.g. the WhatsApp outbox) and defer any I/O with `transaction.on_commit`, so
nothing is lost between the commit and their write, and a rolled-back transition leaves
nothing behind.
"""

from django.dispatch import Signal

skp_transitioned = Signal()
skp_transition_recorded = Signal()

# Second wave, same pattern (sent INSIDE the transaction, listeners write rows only):
# `evaluation_transition_recorded` with kwargs `evaluation`, `event` (EvaluationEvent) for
# submit, return and rate; `period_lock_recorded` with kwargs `lock`, `event`
# (PeriodLockEvent) and `period` ("YYYY-MM", or "YYYY-Qn" for a quarter's three months:
# `lock`/`event` are then its first month's) once per lock action. Whom to tell:
# `skp.selectors_evaluation.evaluation_event_audience` / `period_lock_audience`.
evaluation_transition_recorded = Signal()
period_lock_recorded = Signal()
