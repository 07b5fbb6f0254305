from django import template

from tracking.answer_html import status_summary_html
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


@register.simple_tag
def status_summary(track):
    """A request's service, status, current step and dates (tracking/answer_html.py)."""
    return status_summary_html(track)
