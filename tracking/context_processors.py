from django.utils.functional import SimpleLazyObject

from organization.models import StaffMembership


def counter(request):
    """`is_clerk` for the header's counter link; queried only when a template asks."""

    def _is_clerk():
        user = getattr(request, "user", None)
        if user is None or not user.is_authenticated:
            return False
        return StaffMembership.objects.filter(user=user, role=StaffMembership.Role.CLERK).exists()

    return {"is_clerk": SimpleLazyObject(_is_clerk)}
