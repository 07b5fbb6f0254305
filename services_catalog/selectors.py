"""Read-side queries on the catalogue."""

from .models import ServiceType


def service_type_list_public():
    """Active services with everything the public catalogue shows (fixed query count)."""
    return ServiceType.objects.active().with_catalogue()
