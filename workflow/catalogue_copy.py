"""The catalogue entry a submission reads (the service with its unit and office, form
fields, documents and steps with their units), kept per process under the catalogue's
version: `services_catalog.cache` bumps it once a catalogue change commits, and a save
in this process drops the copies at once (core.process_copy). Profiled (#11): reading it
was four queries and a quarter of a submission's CPU.

A copy is shared by the requests of this process: callers read it, never change it.
"""

from django.conf import settings
from django.db.models.signals import post_delete, post_save

from core.process_copy import ProcessCopy
from services_catalog import selectors as catalogue
from services_catalog.cache import VERSION_KEY

MAX_CODE = 60  # ServiceType.code

_services = ProcessCopy(VERSION_KEY, max_age=settings.CATALOGUE_CACHE_SECONDS)


def service_for_submission(code):
    """`services_catalog.selectors.service_for_submission`, from this process's copy."""
    if not isinstance(code, str) or not 0 < len(code) <= MAX_CODE:
        return catalogue.service_for_submission(code)
    return _services.get(code, lambda: catalogue.service_for_submission(code))


def services_in_units(unit_ids) -> tuple[tuple[str, str], ...]:
    """(code, name) of the services with a step in one of `unit_ids`, by name (the staff
    queue's service filter), from this process's copy: the ORM building the query was a
    sixth of the queue page's CPU (profiled, bench stack)."""
    units = tuple(sorted(set(unit_ids)))
    if not units:
        return ()
    return _services.get(("units", units), lambda: _services_in_units(units))


def _services_in_units(units) -> tuple[tuple[str, str], ...]:
    from services_catalog.models import ServiceType

    found = ServiceType.objects.filter(steps__unit_id__in=units).distinct().order_by("name")
    return tuple(found.values_list("code", "name"))


def connect() -> None:
    """The models `services_catalog.cache` versions: a save or delete here drops the copies."""
    from organization.models import Office, Unit
    from services_catalog.models import FormField, RequiredDocument, ServiceType, Step

    for model in (ServiceType, FormField, RequiredDocument, Step, Unit, Office):
        uid = f"workflow-catalogue-copy-{model._meta.label_lower}"
        post_save.connect(_services.clear, sender=model, dispatch_uid=uid + "-save")
        post_delete.connect(_services.clear, sender=model, dispatch_uid=uid + "-delete")
