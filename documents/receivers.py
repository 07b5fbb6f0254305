"""Listeners of the workflow: an approved result step with an uploaded file gets its
verification record in the same transaction (rows only, no I/O besides hashing the file)."""

from . import services

RESULT_EVENTS = {"advanced", "completed"}


def on_request_transitioned(sender, *, request, event, task=None, **kwargs):
    decided = event.task
    if event.kind not in RESULT_EVENTS or decided is None or decided.decision != "approve":
        return
    services.upload_register(request=request, step=decided.step, actor=event.actor)
