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


def outcome_report(*, errors, tracebacks: list[str], checks: list[list], after: str) -> bool:
    """Prints the load's errors (a Counter of messages), the server's tracebacks and the database
    checks ([check, expected or "-", found]); True when an error occurred or a check failed."""
    total = sum(errors.values())
    print(f"\nErrors: {total}")
    for message, count in errors.most_common():
        print(f"  {count} × {message}")
    for block in tracebacks:
        print(f"\nServer traceback, {block}")
    failed = [row for row in checks if str(row[1]) not in ("-", str(row[2]))]
    rows = [[*row, "" if row[1] == "-" else "FAIL" if row in failed else "ok"] for row in checks]
    print(f"\nDatabase after {after}\n{table(['check', 'expected', 'found', ''], rows)}")
    return bool(total or failed)
