"""`may_see_dashboard` for the staff navigation; queried only when a template asks, and
not at all on a page that read the user's `QueueReach` with its links (the staff queue
sets `request.queue_reach`)."""

from django.utils.functional import SimpleLazyObject

from .scope import may_see_dashboard


def dashboard(request):
    user = getattr(request, "user", None)
    reach = getattr(request, "queue_reach", None)
    return {"may_see_dashboard": SimpleLazyObject(lambda: may_see_dashboard(user, reach=reach))}
