from django import template

register = template.Library()


@register.filter
def duration_ms(value) -> str:
    """12345 -> "0:12.3" (minutes:seconds.tenths); ties are often decided by tenths."""
    if value is None:
        return "–"
    tenths = int(value) // 100
    minutes, rest = divmod(tenths, 600)
    return f"{minutes}:{rest // 10:02d}.{rest % 10}"
