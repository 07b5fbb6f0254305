"""`manage.py siasn_fetch NIP [NIP ...]` (or `--employees`): read pns/data-utama from the
SIASN API (SIASN_* settings) into the reconciliation, print the JSON summary."""

import json

from django.core.management.base import BaseCommand, CommandError

from organization.models import Employee
from personnel.client import is_configured
from personnel.services import siasn_fetch


class Command(BaseCommand):
    help = "Fetch civil servants' main records from the SIASN API (read only)."

    def add_arguments(self, parser):
        parser.add_argument("nips", nargs="*", help="NIPs to fetch")
        parser.add_argument("--employees", action="store_true", help="every Alur employee")

    def handle(self, *args, nips, employees, **options):
        if not is_configured():
            raise CommandError(
                "The SIASN API is not configured: set SIASN_API_BASE_URL, "
                "SIASN_CONSUMER_KEY/SECRET and SIASN_SSO_* (see README)."
            )
        if employees:
            nips = list(Employee.objects.order_by("nip").values_list("nip", flat=True))
        if not nips:
            raise CommandError("Give NIPs or --employees.")
        summary = siasn_fetch(nips=nips)
        self.stdout.write(json.dumps(summary, ensure_ascii=False))
        if summary["status"] != "done":
            raise CommandError(summary.get("error", "fetch failed"))
