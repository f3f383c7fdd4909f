"""The vocabulary of indexed titles and "did you mean": "caphe" -> "cà phê",
"mat ong rung" -> "mật ong rừng".

Words and two-word phrases of titles are kept folded, with the spelling people see most often.
A query is corrected word by word (edit distance, or a word split in two) and the choice that
forms the most known phrases wins; accents come back from the phrases."""

import math
import re
import unicodedata
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

from django.core.cache import cache
from django.db import transaction

from .documents import SearchDocument
from .folding import MAX_TOKEN_LENGTH, MAX_TOKENS, fold, has_marks
from .models import SearchTerm

_WORD = re.compile(r"[^\W_]+")
VERSION_KEY = "search:vocabulary:version"
TERM_MAX_LENGTH = 100
# How many words the in-process cache holds (the most frequent).
WORDS_LIMIT = 200_000


def title_words(title: str) -> list[tuple[str, str]]:
    """(folded, as written in lower case) for each word of `title`."""
    words = _WORD.findall(unicodedata.normalize("NFC", title.lower()))
    return [(fold(w), w) for w in words]


def _terms(documents: Iterable[SearchDocument]) -> Iterator[tuple[str, str, int]]:
    for document in documents:
        words = title_words(document.title)
        for folded, written in words:
            yield folded, written, 1
        for (f1, w1), (f2, w2) in zip(words, words[1:], strict=False):
            yield f"{f1} {f2}", f"{w1} {w2}", 2


class VocabularyCounter:
    """Counts the terms of documents as they stream past (a rebuild reads each one once)."""

    def __init__(self):
        self.frequency: Counter = Counter()
        self.spellings: dict[str, Counter] = defaultdict(Counter)
        self.words: dict[str, int] = {}

    def add(self, document: SearchDocument) -> None:
        for folded, written, words in _terms([document]):
            if len(folded) > TERM_MAX_LENGTH:
                continue
            self.frequency[folded] += 1
            self.spellings[folded][written] += 1
            self.words[folded] = words

    def rows(self) -> Iterator[SearchTerm]:
        for folded, frequency in self.frequency.items():
            yield SearchTerm(
                folded=folded,
                display=self.spellings[folded].most_common(1)[0][0],
                frequency=frequency,
                words=self.words[folded],
            )


def _bump_version() -> None:
    try:
        if not cache.add(VERSION_KEY, 1, timeout=None):
            cache.incr(VERSION_KEY)
    except Exception:  # noqa: BLE001, S110 - the cache is a speed-up; a stale vocabulary is mild
        pass


def vocabulary_replace(counter: VocabularyCounter) -> int:
    """Replaces the vocabulary with `counter`'s terms, in one transaction."""
    with transaction.atomic():
        SearchTerm.objects.all().delete()
        rows = list(counter.rows())
        SearchTerm.objects.bulk_create(rows, batch_size=2000)
    transaction.on_commit(_bump_version)
    return len(rows)


def vocabulary_add(documents: list[SearchDocument]) -> None:
    """Adds the terms of changed documents (counts only grow until the next rebuild)."""
    counter = VocabularyCounter()
    for document in documents:
        counter.add(document)
    if not counter.frequency:
        return
    with transaction.atomic():
        existing = {
            t.folded: t
            # Locked in one order, so that two workers adding terms never deadlock.
            for t in SearchTerm.objects.select_for_update()
            .filter(folded__in=list(counter.frequency))
            .order_by("folded")
        }
        new = []
        for row in counter.rows():
            if row.folded in existing:
                existing[row.folded].frequency += row.frequency
            else:
                new.append(row)
        SearchTerm.objects.bulk_update(
            sorted(existing.values(), key=lambda t: t.folded), ["frequency"], batch_size=1000
        )
        SearchTerm.objects.bulk_create(new, batch_size=1000, ignore_conflicts=True)
    transaction.on_commit(_bump_version)


@dataclass
class _Words:
    version: object
    display: dict[str, str]
    frequency: dict[str, int]
    by_length: dict[int, list[str]]


_loaded: _Words | None = None


def _words() -> _Words:
    """The single words, cached in the process until the vocabulary changes."""
    global _loaded
    try:
        version = cache.get(VERSION_KEY)
    except Exception:  # noqa: BLE001 - without the cache, read the table each time
        version = object()
    if _loaded is not None and version is not None and _loaded.version == version:
        return _loaded
    rows = (
        SearchTerm.objects.filter(words=1)
        .order_by("-frequency")
        .values_list("folded", "display", "frequency")[:WORDS_LIMIT]
    )
    display, frequency, by_length = {}, {}, defaultdict(list)
    for folded, shown, count in rows:
        display[folded] = shown
        frequency[folded] = count
        by_length[len(folded)].append(folded)
    _loaded = _Words(version, display, frequency, dict(by_length))
    return _loaded


def edit_distance(a: str, b: str, limit: int) -> int:
    """Damerau-Levenshtein (adjacent swaps count 1), giving up past `limit`."""
    if abs(len(a) - len(b)) > limit:
        return limit + 1
    previous2 = None
    previous = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        current = [i] + [0] * len(b)
        for j, cb in enumerate(b, 1):
            cost = 0 if ca == cb else 1
            current[j] = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
            if previous2 is not None and i > 1 and j > 1 and ca == b[j - 2] and a[i - 2] == cb:
                current[j] = min(current[j], previous2[j - 2] + 1)
        if min(current) > limit:
            return limit + 1
        previous2, previous = previous, current
    return previous[-1]


def _allowed(word: str, *, among_others: bool) -> int:
    """Edits allowed to correct `word`: none for one or two letters alone (too many guesses),
    one for a short word or a two-letter one among others (a phrase must confirm it)."""
    if len(word) <= 2:
        return 1 if among_others else 0
    return 1 if len(word) <= 5 else 2


@dataclass(frozen=True)
class _Choice:
    words: tuple[str, ...]  # folded words this query word becomes (two when split)
    cost: float


def _choices(word: str, words: _Words, *, among_others: bool) -> list[_Choice]:
    choices = []
    if word in words.frequency:
        choices.append(_Choice((word,), 0.0))
    limit = _allowed(word, among_others=among_others)
    if limit and word not in words.frequency:
        close = []
        for length in range(len(word) - limit, len(word) + limit + 1):
            for candidate in words.by_length.get(length, ()):
                if candidate == word:
                    continue
                distance = edit_distance(word, candidate, limit)
                if distance <= limit:
                    close.append((distance, -words.frequency[candidate], candidate))
        close.sort()
        choices += [_Choice((c,), float(d)) for d, _f, c in close[:6]]
    for cut in range(1, len(word)):
        left, right = word[:cut], word[cut:]
        if left in words.frequency and right in words.frequency:
            choices.append(_Choice((left, right), 0.5))
    return choices or [_Choice((word,), 0.0)]


def _score(sequence: list[str], costs: float, words: _Words, phrases: dict) -> float:
    score = -3.0 * costs
    for word in sequence:
        score += math.log1p(words.frequency.get(word, 0)) * 0.1
    for pair in zip(sequence, sequence[1:], strict=False):
        phrase = phrases.get(" ".join(pair))
        if phrase is not None:
            score += 2.0 + math.log1p(phrase[1]) * 0.2
    return score


def did_you_mean(text: str) -> str | None:
    """A better spelling of `text` from the indexed titles, or None when there is none: a word
    corrected or split, or accents restored from known phrases ("ca phe" -> "cà phê"). A
    lone ambiguous word without accents ("duong": đường or dương) gets no suggestion."""
    typed = title_words(text)[:MAX_TOKENS]
    typed = [(f[:MAX_TOKEN_LENGTH], w) for f, w in typed]
    if not typed:
        return None
    words = _words()
    if not words.frequency:
        return None
    options = [_choices(folded, words, among_others=len(typed) > 1) for folded, _w in typed]
    # Phrases any combination could form: one query for their spellings.
    pairs = set()
    flat = [{w for c in opts for w in c.words} for opts in options]
    for opts in options:
        for choice in opts:
            pairs.update(" ".join(p) for p in zip(choice.words, choice.words[1:], strict=False))
    for left, right in zip(flat, flat[1:], strict=False):
        pairs.update(f"{a} {b}" for a in left for b in right)
    phrases = {
        folded: (display, frequency)
        for folded, display, frequency in SearchTerm.objects.filter(
            words=2, folded__in=list(pairs)[:5000]
        ).values_list("folded", "display", "frequency")
    }
    # Best combination, left to right, keeping the best sequence ending in each last word.
    beams: dict[str, tuple[float, list[str], float]] = {"": (0.0, [], 0.0)}
    for opts in options:
        nxt: dict[str, tuple[float, list[str], float]] = {}
        for _s, sequence, cost in beams.values():
            for choice in opts:
                candidate = sequence + list(choice.words)
                total = cost + choice.cost
                score = _score(candidate, total, words, phrases)
                last = candidate[-1]
                if last not in nxt or score > nxt[last][0]:
                    nxt[last] = (score, candidate, total)
        beams = nxt
    _s, best, cost = max(beams.values(), key=lambda b: b[0])
    known = [" ".join(p) in phrases for p in zip(best, best[1:], strict=False)]
    corrected = cost > 0
    phrased = bool(known) and all(known)
    if len(best) > 1 and not phrased:
        return None  # words that never stand together in a title: no confident guess
    if not corrected and not phrased:
        return None
    shown: list[str | None] = [None] * len(best)
    for index, is_known in enumerate(known):
        if is_known:
            left, right = phrases[f"{best[index]} {best[index + 1]}"][0].split(" ", 1)
            shown[index] = shown[index] or left
            shown[index + 1] = shown[index + 1] or right
    typed_by_fold = {f: w for f, w in typed if has_marks(w)}
    result = [
        typed_by_fold.get(word) or shown[i] or words.display.get(word, word)
        for i, word in enumerate(best)
    ]
    suggestion = " ".join(result)
    if suggestion == " ".join(w for _f, w in typed):
        return None
    return suggestion
