"""Checks on a catalogue entry as a whole (its inlines included)."""

from collections import Counter

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _


def service_type_validate(*, fields, documents, steps) -> None:
    """Validate a service type's parts together (the admin, seeding and tests call this).

    `fields`, `documents`, `steps`: the (unsaved or saved) inline objects, deleted ones
    excluded. Raises ValidationError listing every problem.
    """
    errors = []
    if not steps:
        errors.append(_("A service needs at least one step."))
    for what, items in ((_("field"), fields), (_("document"), documents)):
        dupes = [code for code, n in Counter(i.code for i in items).items() if n > 1]
        if dupes:
            errors.append(
                _("Each %(what)s code must be unique; repeated: %(codes)s.")
                % {"what": what, "codes": ", ".join(sorted(dupes))}
            )
    shared = {f.code for f in fields} & {d.code for d in documents}
    if shared:
        errors.append(
            _("A field and a document may not share a code: %s.") % ", ".join(sorted(shared))
        )
    orders = sorted(s.order for s in steps)
    if orders and orders != list(range(1, len(orders) + 1)):
        errors.append(_("Steps must be numbered 1, 2, 3... without gaps or repeats."))
    if sum(1 for s in steps if s.produces_result) > 1:
        errors.append(_("Only one step may produce the result document."))
    if errors:
        raise ValidationError(errors)
