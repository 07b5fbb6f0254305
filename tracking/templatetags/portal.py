from django import template

from tracking.receipts import rupiah as _rupiah

register = template.Library()


@register.filter
def rupiah(amount):
    """50000 -> "Rp 50.000"; 0 -> "Free of charge" (translated)."""
    return _rupiah(int(amount or 0))
