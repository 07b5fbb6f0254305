"""`manage.py export_service CODE [CODE ...]`: the services with their fields, documents
and steps as one catalogue file (YAML) on standard output, for another office to import
with `import_service`."""

from django.core.management.base import BaseCommand, CommandError

from services_catalog.exchange import service_type_export_yaml
from services_catalog.models import ServiceType


class Command(BaseCommand):
    help = "Export service types as a catalogue file (YAML) for another office."

    def add_arguments(self, parser):
        parser.add_argument("codes", nargs="+", help="service codes")

    def handle(self, *args, codes, **options):
        services = list(ServiceType.objects.filter(code__in=codes))
        missing = set(codes) - {s.code for s in services}
        if missing:
            raise CommandError(f"unknown service(s): {', '.join(sorted(missing))}")
        self.stdout.write(service_type_export_yaml(services=services), ending="")
