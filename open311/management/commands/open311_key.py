"""`manage.py open311_key CLIENT_NAME`: create an Open311 API client and print its key
(one line). The key is not stored, only its SHA-256 digest: keep the printed line."""

from django.core.exceptions import ValidationError
from django.core.management.base import BaseCommand, CommandError

from open311.models import ApiClient
from open311.services import api_client_create, api_client_rotate_key


class Command(BaseCommand):
    help = "Create an Open311 API key for a client and print it."

    def add_arguments(self, parser):
        parser.add_argument("client_name")
        parser.add_argument("--rate", default="30/min", help="requests it may file, e.g. 30/min")
        parser.add_argument("--rotate", action="store_true", help="new key for an existing client")

    def handle(self, *args, client_name, rate, rotate, **options):
        existing = ApiClient.objects.filter(name=client_name.strip()).first()
        if existing and not rotate:
            raise CommandError(f"{client_name} already has a key; use --rotate for a new one.")
        try:
            if existing:
                key = api_client_rotate_key(client=existing)
            else:
                _, key = api_client_create(name=client_name, post_rate=rate)
        except ValidationError as error:
            raise CommandError("; ".join(error.messages)) from None
        self.stdout.write(key)
