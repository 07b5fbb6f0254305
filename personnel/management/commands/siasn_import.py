"""`manage.py siasn_import FILE`: read SIASN's "Export Data ASN" CSV or a JSON list of
`pns/data-utama` records, reconcile, print the JSON summary (progress bar on stderr)."""

import json
import os

from django.core.management.base import BaseCommand, CommandError
from tqdm import tqdm

from personnel.services import siasn_import_file


class Command(BaseCommand):
    help = "Import SIASN personnel data (CSV 'Export Data ASN' or JSON pns/data-utama list)."

    def add_arguments(self, parser):
        parser.add_argument("file", help="path of the CSV or JSON file")
        parser.add_argument(
            "--partial",
            action="store_true",
            help="the file holds only some employees: do not mark the others missing from BKN",
        )
        parser.add_argument("--no-progress", action="store_true", help="no progress bar")

    def handle(self, *args, file, partial, no_progress, **options):
        if not os.path.isfile(file):
            raise CommandError(f"{file}: no such file")
        bar = tqdm(
            total=os.path.getsize(file),
            unit="B",
            unit_scale=True,
            desc="SIASN",
            disable=no_progress,
            file=self.stderr._out,
        )

        def progress(siasn_import):
            bar.n = siasn_import.bytes_read
            bar.set_postfix(rows=siasn_import.rows_read, refresh=False)
            bar.refresh()

        try:
            summary = siasn_import_file(path=file, full=not partial, progress=progress)
        finally:
            bar.close()
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if summary["status"] != "done":
            raise CommandError(summary.get("error", "import failed"))
