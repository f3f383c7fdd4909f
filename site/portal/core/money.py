"""Money is an integer number of VND; this is its one display format."""


def format_vnd(amount: int | None) -> str:
    """1250000 -> "1.250.000 ₫" (Vietnamese grouping, currency sign after the amount)."""
    if amount is None:
        return ""
    sign = "-" if amount < 0 else ""
    grouped = f"{abs(int(amount)):,}".replace(",", ".")
    return f"{sign}{grouped} ₫"
