"""Binding page forms (project machinery: any room may import it)."""


def submitted(request) -> tuple:
    """(data, files) for a form: bound on every POST, even an empty one. The idiom
    `Form(request.POST or None)` leaves a POST without fields unbound, so it was refused
    (400) with no error to show; GET stays unbound."""
    if request.method == "POST":
        return request.POST, request.FILES
    return None, None
