from django import template

from ..formatting import duration_text

register = template.Library()


@register.filter
def duration_ms(value) -> str:
    return "–" if value is None else duration_text(value)
