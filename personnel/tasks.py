"""Celery tasks of the personnel room: take ids, call the service."""

import contextlib

from celery import shared_task

from config.exceptions import Conflict

from .models import SiasnImport
from .services import siasn_import_run


@shared_task(acks_late=True, reject_on_worker_lost=True)
def run_siasn_import(import_id: int) -> None:
    siasn_import = SiasnImport.objects.filter(pk=import_id).first()
    if siasn_import is None:
        return
    with contextlib.suppress(Conflict):  # already run: a redelivered task
        siasn_import_run(siasn_import=siasn_import)
