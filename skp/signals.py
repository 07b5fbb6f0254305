"""What the SKP room announces. Higher rooms (notifications) listen; skp never imports them.

`skp_transitioned` is sent once per transition (submit, approve, return, reopen), after
the transaction that made it has committed, with kwargs `skp_id`, `event_id` (SkpEvent)
and `action` (SkpEvent.Action value). Listeners load what they need by id;
`skp.selectors.skp_event_audience(event_id=, on=)` says whom to tell (the pejabat
penilai of a submission, the owner of a return, approval or reopening).
"""

from django.dispatch import Signal

skp_transitioned = Signal()
