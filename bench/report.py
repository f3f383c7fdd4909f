"""Plain-text tables with aligned columns: text to the left, numbers to the right; progress."""

import re
import sys

NUMBER = re.compile(r"^[\d,.]+[x%]?$")


def table(headers: list[str], rows: list[list]) -> str:
    cells = [[f"{v:,}" if isinstance(v, int) else str(v) for v in row] for row in rows]
    columns = range(len(headers))
    numeric = [all(NUMBER.match(row[i]) for row in cells) for i in columns]
    widths = [max(len(row[i]) for row in [headers, *cells]) for i in columns]

    def line(values):
        return " | ".join(
            v.rjust(w) if num else v.ljust(w)
            for v, w, num in zip(values, widths, numeric, strict=True)
        ).rstrip()

    return "\n".join([line(headers), "-+-".join("-" * w for w in widths), *map(line, cells)])


def step(message: str) -> None:
    """A progress line on stderr (the results go to stdout)."""
    print(f"... {message}", file=sys.stderr, flush=True)
