"""Read-side queries on the catalogue."""

from .models import ServiceType


def service_type_list_public():
    """Active services with everything the public catalogue shows (fixed query count)."""
    return ServiceType.objects.active().with_catalogue()


def service_type_get_public(*, code: str) -> ServiceType | None:
    return service_type_list_public().filter(code=code).first()
