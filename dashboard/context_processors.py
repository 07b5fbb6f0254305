"""`may_see_dashboard` for the staff navigation; queried only when a template asks."""

from django.utils.functional import SimpleLazyObject

from .scope import may_see_dashboard


def dashboard(request):
    user = getattr(request, "user", None)
    return {"may_see_dashboard": SimpleLazyObject(lambda: may_see_dashboard(user))}
