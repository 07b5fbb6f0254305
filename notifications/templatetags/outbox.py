"""Showing messages to staff without what belongs to the applicant alone."""

import re

from django import template

register = template.Library()

# The applicant's private link (`…?token=<access token>`) opens their request: staff reading
# the outbox must not be able to use it.
_ACCESS_TOKEN = re.compile(r"([?&]token=)[^\s&#]+")
MASK = "••••••"


@register.filter
def mask_access_links(text: str) -> str:
    return _ACCESS_TOKEN.sub(lambda m: m.group(1) + MASK, text or "")
