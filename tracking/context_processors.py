from django.utils.functional import SimpleLazyObject

from workflow.roles import is_counter_clerk


def counter(request):
    """`is_clerk` for the header's counter link; queried only when a template asks, and
    not at all on a page that read the user's `QueueReach` with its links."""
    user, reach = getattr(request, "user", None), getattr(request, "queue_reach", None)
    return {"is_clerk": SimpleLazyObject(lambda: is_counter_clerk(user, reach=reach))}
