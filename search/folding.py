"""The one folding function of the search: what "accent-insensitive" means on this site.

Both engines are tested against `fold`: PostgreSQL's `unaccent` text search configuration and
Elasticsearch's `asciifolding` must give the same keys, and SQLite's FTS5 index is fed `fold`'s
output (FTS5 folds neither đ nor letters with two marks such as ế, ừ, ở).
"""

import functools
import re
import unicodedata

# Combining marks (Vietnamese tones and vowel marks are all in the first block).
_MARKS = re.compile("[\u0300-\u036f\u1ab0-\u1aff\u1dc0-\u1dff\u20d0-\u20ff\ufe20-\ufe2f]")
# Letters with no decomposition that readers still expect to fold: đ above all.
_LETTERS = str.maketrans({"đ": "d", "ð": "d", "ø": "o", "ł": "l", "æ": "ae", "œ": "oe", "ß": "ss"})
_WORD = re.compile(r"\w+")

MAX_TOKENS = 12
MAX_TOKEN_LENGTH = 40


def fold(text: str) -> str:
    """Lower case, without tone or vowel marks, đ as d: "Đường Cà Phê" -> "duong ca phe"."""
    if not text:
        return ""
    text = _MARKS.sub("", unicodedata.normalize("NFD", text.lower()))
    return unicodedata.normalize("NFC", text).translate(_LETTERS)


@functools.lru_cache(maxsize=4096)
def fold_char(char: str) -> str:
    """`fold` of one character (highlighting maps folded positions back to the text)."""
    return fold(char)


def tokens(text: str) -> list[str]:
    """The folded words of `text`, at most MAX_TOKENS of them, each cut to MAX_TOKEN_LENGTH:
    anything a visitor types (punctuation, emoji, query syntax) reduces to plain words."""
    words = _WORD.findall(fold(text))
    return [w[:MAX_TOKEN_LENGTH] for w in words if not w.isspace()][:MAX_TOKENS]


def has_marks(text: str) -> bool:
    """Whether `text` carries any Vietnamese mark (then its spelling can be trusted)."""
    return fold(text) != text.lower()
