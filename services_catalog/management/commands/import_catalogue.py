"""Import a catalogue file (docs/CATALOGUE_FORMAT.md): services, and for an operator the
organisation sections too. All or nothing; prints a JSON summary of the rows imported."""

import json
import sys

from django.core.management.base import BaseCommand, CommandError

from services_catalog.loader import CatalogueFileError, catalogue_file_read, catalogue_import


class Command(BaseCommand):
    help = (
        "Import a catalogue file (YAML, docs/CATALOGUE_FORMAT.md). Every entry is checked "
        "as the admin checks it; nothing is written unless the whole file is valid."
    )

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the YAML file, or - for standard input")

    def handle(self, *args, file, **options):
        try:
            if file == "-":
                document = catalogue_file_read(sys.stdin.buffer.read())
            else:
                try:
                    with open(file, "rb") as handle:
                        document = catalogue_file_read(handle)
                except OSError as exc:
                    raise CommandError(f"cannot read {file}: {exc.strerror}") from None
            counts = catalogue_import(document=document)
        except CatalogueFileError as exc:
            raise CommandError(
                f"{file}: nothing imported, {len(exc.errors)} problem(s):\n"
                + "\n".join(f"  {e}" for e in exc.errors)
            ) from None
        self.stdout.write(json.dumps(counts, sort_keys=True))
