"""How contest figures are written for people (pages and exports alike)."""


def duration_text(duration_ms: int) -> str:
    """12345 -> "0:12.3" (minutes:seconds.tenths); ties are often decided by tenths."""
    tenths = int(duration_ms) // 100
    minutes, rest = divmod(tenths, 600)
    return f"{minutes}:{rest // 10:02d}.{rest % 10}"
