"""Highlighting in Python, the same for every engine: matches are found in the folded text and
mapped back to the text as written, so "ca phe" marks "Cà phê"."""

import re
import unicodedata

from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from .folding import fold, fold_char

ELLIPSIS = "…"


def _folded(text: str) -> tuple[str, list[int] | range]:
    """The folded text and, for each of its characters, the index of the character it came
    from. Precomposed Vietnamese folds one character to one: the whole text is folded at once
    and positions are its own. Otherwise (decomposed input, æ -> ae) character by character."""
    folded = fold(text)
    if len(folded) == len(text):
        return folded, range(len(text))
    chars, origin = [], []
    for index, char in enumerate(text):
        for piece in fold_char(char):
            chars.append(piece)
            origin.append(index)
    return "".join(chars), origin


def _pattern(terms: list[str], *, prefix_last: bool) -> re.Pattern:
    whole = sorted(set(terms[:-1] if prefix_last else terms), key=len, reverse=True)
    patterns = [rf"(?<![^\W_])(?:{'|'.join(map(re.escape, whole))})(?![^\W_])"] if whole else []
    if prefix_last:
        patterns.append(rf"(?<![^\W_]){re.escape(terms[-1])}[^\W_]*")
    return re.compile("|".join(patterns))


def _spans(text, folded, origin, pattern: re.Pattern, start: int = 0, end: int | None = None):
    """(start, end) in `text` of each matching word between `start` and `end`; a word ends
    after its last letter's marks (decomposed text carries them as characters of their own)."""
    spans = []
    for match in pattern.finditer(folded):
        low, high = origin[match.start()], origin[match.end() - 1] + 1
        while high < len(text) and unicodedata.combining(text[high]):
            high += 1
        if end is not None and low >= end:
            break  # past the window: a long text is not scanned to its end
        if high > start and match.end() > match.start():
            spans.append((low, high))
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
    if not terms or not text:
        return mark_safe(escape(text))  # noqa: S308 - escaped
    folded, origin = _folded(text)
    spans = _spans(text, folded, origin, _pattern(terms, prefix_last=prefix_last))
    return mark_safe(_render(text, spans, 0, len(text)))  # noqa: S308 - escaped in _render


def snippet(text: str, terms: list[str], *, length: int = 240) -> SafeString:
    """About `length` characters of `text` around its first match (its start when none),
    cut at spaces, matches in <mark>."""
    if not text:
        return mark_safe("")  # noqa: S308 - empty
    folded, origin = _folded(text)
    pattern = _pattern(terms, prefix_last=False) if terms else None
    first_match = pattern.search(folded) if pattern else None
    first = origin[first_match.start()] if first_match else 0
    start = max(0, first - length // 4)
    if start:
        space = text.rfind(" ", 0, start)
        start = space + 1 if space != -1 and start - space < 30 else start
    end = min(len(text), start + length)
    if end < len(text):
        space = text.rfind(" ", start, end)
        end = space if space > start + length // 2 else end
    spans = _spans(text, folded, origin, pattern, start, end) if pattern else []
    body = _render(text, spans, start, end)
    return mark_safe(  # noqa: S308 - escaped in _render
        (ELLIPSIS if start else "") + body + (ELLIPSIS if end < len(text) else "")
    )
