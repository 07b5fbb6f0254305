"""`manage.py import_service FILE --office MJB [--unit KJB/phu=MJB/haji] [--code OLD=NEW]`:
import another office's exported services into this office, its units mapped (a unit not
mapped keeps its code in the new office). All or nothing; prints the loader's counts."""

import json

from django.core.management.base import BaseCommand, CommandError

from organization.models import Office
from services_catalog.exchange import service_type_import_into
from services_catalog.loader import CatalogueFileError, catalogue_file_read


def _pairs(values, what):
    pairs = {}
    for value in values or []:
        old, sep, new = value.partition("=")
        if not sep or not old or not new:
            raise CommandError(f"--{what} takes OLD=NEW, not {value!r}")
        pairs[old.strip()] = new.strip()
    return pairs


class Command(BaseCommand):
    help = "Import exported service types into another office (units mapped)."

    def add_arguments(self, parser):
        parser.add_argument("file")
        parser.add_argument("--office", required=True, help="code of the receiving office")
        parser.add_argument("--unit", action="append", help="SRC/unit=DST/unit (repeatable)")
        parser.add_argument("--code", action="append", help="OLD=NEW service code (repeatable)")

    def handle(self, *args, file, office, unit, code, **options):
        target = Office.objects.filter(code=office).first()
        if target is None:
            raise CommandError(f"unknown office {office}")
        try:
            with open(file, "rb") as handle:
                document = catalogue_file_read(handle)
            counts = service_type_import_into(
                document=document,
                office=target,
                unit_map=_pairs(unit, "unit"),
                codes=_pairs(code, "code"),
            )
        except OSError as exc:
            raise CommandError(f"cannot read {file}: {exc.strerror}") from None
        except CatalogueFileError as exc:
            raise CommandError(
                f"{file}: nothing imported, {len(exc.errors)} problem(s):\n"
                + "\n".join(f"  {e}" for e in exc.errors)
            ) from None
        self.stdout.write(json.dumps(counts, sort_keys=True))
