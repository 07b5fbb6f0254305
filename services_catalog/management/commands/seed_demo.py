"""Load the demo organisation, catalogue and accounts (CONTRACT.md section 1)."""

import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.utils.module_loading import import_string

from services_catalog.demo import demo_accounts, demo_load


class Command(BaseCommand):
    help = (
        "Load the demo offices, units, employees, service catalogue and demo accounts "
        "(idempotent; refused unless DEBUG is on). --json prints the demo accounts."
    )

    def add_arguments(self, parser):
        parser.add_argument(
            "--json",
            action="store_true",
            help='Print the demo accounts as JSON: [{"username", "password", "roles", '
            '"unit", "services"}].',
        )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError(
                "seed_demo creates accounts with a published password and is refused unless "
                "DEBUG is on (DEBUG=1)."
            )
        counts = demo_load()
        # Higher rooms add their own demo rows (a lower room never imports them).
        for path in settings.DEMO_LOADERS:
            import_string(path)()
        if options["json"]:
            self.stdout.write(json.dumps(demo_accounts(), ensure_ascii=False, indent=2))
            return
        self.stdout.write(
            self.style.SUCCESS(
                "Demo data loaded: {offices} offices, {units} units, {positions} positions, "
                "{employees} employees, {services} services, {accounts} accounts.".format(**counts)
            )
        )
