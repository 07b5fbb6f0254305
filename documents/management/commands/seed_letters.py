from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from documents.demo import seed_letters


class Command(BaseCommand):
    help = (
        "Development only: result letter templates for the demo services and a self-signed "
        "signing certificate (idempotent)."
    )

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("seed_letters is for development only (DEBUG=1).")
        report = seed_letters()
        self.stdout.write(
            f"Letter templates created: {report['templates_created']}; development "
            f"certificate {'created' if report['certificate_created'] else 'kept'} "
            f"({settings.DEV_SIGNING_PKCS12})."
        )
