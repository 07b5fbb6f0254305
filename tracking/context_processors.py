from django.utils.functional import SimpleLazyObject

from workflow.roles import is_counter_clerk


def counter(request):
    """`is_clerk` for the header's counter link; queried only when a template asks."""
    return {"is_clerk": SimpleLazyObject(lambda: is_counter_clerk(getattr(request, "user", None)))}
