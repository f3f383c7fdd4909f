"""Highlighting in Python, the same for every engine: matches are found in the folded text and
mapped back to the text as written, so "ca phe" marks "Cà phê"."""

import re

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .folding import fold_char

ELLIPSIS = "…"


def _folded(text: str) -> tuple[str, list[int]]:
    """The folded text and, for each of its characters, the index of the character it came
    from (folding may turn one character into two: æ -> ae)."""
    chars, origin = [], []
    for index, char in enumerate(text):
        for folded in fold_char(char):
            chars.append(folded)
            origin.append(index)
    return "".join(chars), origin


def _spans(text: str, terms: list[str], *, prefix_last: bool) -> list[tuple[int, int]]:
    if not terms or not text:
        return []
    folded, origin = _folded(text)
    whole = sorted(set(terms[:-1] if prefix_last else terms), key=len, reverse=True)
    patterns = [rf"(?<![^\W_])(?:{'|'.join(map(re.escape, whole))})(?![^\W_])"] if whole else []
    if prefix_last:
        patterns.append(rf"(?<![^\W_]){re.escape(terms[-1])}[^\W_]*")
    spans = []
    for match in re.finditer("|".join(patterns), folded):
        if match.end() > match.start():
            spans.append((origin[match.start()], origin[match.end() - 1] + 1))
    return spans


def _render(text: str, spans: list[tuple[int, int]], start: int, end: int) -> str:
    out, position = [], start
    for low, high in spans:
        if high <= start or low >= end:
            continue
        low, high = max(low, start), min(high, end)
        out.append(escape(text[position:low]))
        out.append(f"<mark>{escape(text[low:high])}</mark>")
        position = high
    out.append(escape(text[position:end]))
    return "".join(out)


def highlight(text: str, terms: list[str], *, prefix_last: bool = False) -> SafeString:
    """`text`, escaped, with every word matching a term in <mark>."""
    return mark_safe(_render(text, _spans(text, terms, prefix_last=prefix_last), 0, len(text)))  # noqa: S308 - escaped above


def snippet(text: str, terms: list[str], *, length: int = 240) -> SafeString:
    """About `length` characters of `text` around its first match (its start when none),
    cut at spaces, matches in <mark>."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty
    spans = _spans(text, terms, prefix_last=False)
    first = spans[0][0] if spans else 0
    start = max(0, first - length // 4)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space != -1 and start - space < 30 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    body = _render(text, spans, start, end)
    return mark_safe(  # noqa: S308 - escaped in _render
        (ELLIPSIS if start else "") + body + (ELLIPSIS if end < len(text) else "")
    )
