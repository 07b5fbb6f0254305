from django import template

from tracking.receipts import rupiah as _rupiah
from tracking.timeline_html import timeline_html

register = template.Library()


@register.filter
def rupiah(amount):
    """50000 -> "Rp 50.000"; 0 -> "Free of charge" (translated)."""
    return _rupiah(int(amount or 0))


@register.simple_tag
def public_timeline(track):
    """A request's steps and history (tracking/timeline_html.py)."""
    return timeline_html(track)
