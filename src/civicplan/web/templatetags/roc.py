"""ROC (民國) dates and years, the way a Taiwanese civil servant reads and writes them."""

from datetime import date, datetime

from django import template
from django.utils import timezone
from django.utils.translation import get_language

from civicplan.targets.dates import ROC_OFFSET

register = template.Library()


def roc_year_of(year: int) -> int:
    return year - ROC_OFFSET


@register.filter
def roc_year(year) -> str:
    """An ROC year as printed: 110 → “110年” (zh-TW) or “ROC 110” (English)."""
    if year in (None, ""):
        return ""
    if (get_language() or "").startswith("zh"):
        return f"{year}年"
    return f"ROC {year}"


@register.filter
def roc_date(value) -> str:
    """A date or time in the ROC calendar: 115/11/25 14:03 (local time)."""
    if value in (None, ""):
        return ""
    if isinstance(value, datetime):
        if timezone.is_aware(value):
            value = timezone.localtime(value)
        return f"{roc_year_of(value.year)}/{value.month:02d}/{value.day:02d} {value.hour:02d}:{value.minute:02d}"
    if isinstance(value, date):
        return f"{roc_year_of(value.year)}/{value.month:02d}/{value.day:02d}"
    return str(value)


@register.filter
def get_item(mapping, key):
    """{{ dict|get_item:key }} — templates cannot index a dict by a variable."""
    if mapping is None:
        return None
    return mapping.get(key)


@register.filter
def attr_value(obj, name):
    """The display value of a model field (choices shown by their label)."""
    display = getattr(obj, f"get_{name}_display", None)
    if callable(display):
        return display()
    value = getattr(obj, name, "")
    if isinstance(value, list):
        return "；".join(str(v) for v in value)
    return value
