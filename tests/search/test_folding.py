"""The reference folding function, and each engine's folding checked against it."""

import itertools
import unicodedata

import pytest
from django.db import connection

from search.documents import PRODUCT, SearchDocument
from search.engines.database import DatabaseEngine
from search.folding import MAX_TOKEN_LENGTH, MAX_TOKENS, fold, tokens
from search.highlight import highlight, snippet

TONES = ["", "\u0300", "\u0301", "\u0309", "\u0303", "\u0323"]  # huyền sắc hỏi ngã nặng
VOWELS = {"a": "a", "ă": "a", "â": "a", "e": "e", "ê": "e", "i": "i", "o": "o", "ô": "o",
          "ơ": "o", "u": "u", "ư": "u", "y": "y"}  # fmt: skip


def vietnamese_letters():
    """Every vowel with every tone, precomposed, in both cases, with its folded letter; đ/Đ."""
    for (vowel, base), tone in itertools.product(VOWELS.items(), TONES):
        letter = unicodedata.normalize("NFC", vowel + tone)
        yield letter, base
        yield letter.upper(), base
    yield "đ", "d"
    yield "Đ", "d"


LETTERS = list(vietnamese_letters())


def test_every_vietnamese_letter_folds_to_its_base():
    assert len(LETTERS) == 12 * 6 * 2 + 2
    wrong = {letter: fold(letter) for letter, base in LETTERS if fold(letter) != base}
    assert wrong == {}


@pytest.mark.parametrize(
    "text,folded",
    [
        ("Cà phê", "ca phe"),
        ("ĐƯỜNG", "duong"),
        ("dương", "duong"),
        ("Kẹo dừa Bến Tre", "keo dua ben tre"),
        ("cơ sở", "co so"),
        ("Hòa / Hoà", "hoa / hoa"),  # old and new tone placement
        (unicodedata.normalize("NFD", "Mật ong rừng"), "mat ong rung"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_tokens_keep_only_words():
    assert tokens("  Cà-phê!!! 😀 \"OR\" 1=1; -- title:(đường)^3~ * ") == [
        "ca", "phe", "or", "1", "1", "title", "duong", "3",
    ]  # fmt: skip
    assert tokens("!!! 😀🥥 ...") == []
    assert len(tokens("a " * 100)) == MAX_TOKENS
    assert tokens("x" * 500) == ["x" * MAX_TOKEN_LENGTH]


@pytest.mark.skipif(connection.vendor != "postgresql", reason="PostgreSQL's unaccent")
@pytest.mark.django_db
def test_postgres_configuration_folds_like_the_reference():
    words = [f"x{letter}x" for letter, _base in LETTERS] + ["Đường", "Bến", "rừng", "sở"]
    with connection.cursor() as cursor:
        for word in words:
            cursor.execute("SELECT to_tsvector('cds_vietnamese', %s)::text", [word])
            (vector,) = cursor.fetchone()
            assert vector == f"'{fold(word)}':1", word


@pytest.mark.skipif(connection.vendor != "sqlite", reason="SQLite's FTS5")
@pytest.mark.django_db
def test_sqlite_index_holds_the_reference_folding():
    DatabaseEngine().upsert(
        [SearchDocument(kind=PRODUCT, object_id=1, title="Đường thốt nốt Bến Tre", url="/x/")]
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT cds_fold('Đường Ở Rừng')")
        assert cursor.fetchone() == ("duong o rung",)
        for word in ("duong", "ben", "thot"):
            cursor.execute(
                "SELECT count(*) FROM search_entry_fts WHERE search_entry_fts MATCH %s", [word]
            )
            assert cursor.fetchone() == (1,), word


def test_highlight_marks_the_words_as_written():
    assert highlight("Cà phê sữa đá", ["ca", "phe"]) == "<mark>Cà</mark> <mark>phê</mark> sữa đá"
    assert highlight("Đường <b>thốt</b> nốt", ["duong", "thot"]) == (
        "<mark>Đường</mark> &lt;b&gt;<mark>thốt</mark>&lt;/b&gt; nốt"
    )
    # Decomposed text (one letter, several code points) is marked as written too.
    decomposed = unicodedata.normalize("NFD", "Cà phê")
    assert highlight(decomposed, ["phe"]) == f"{decomposed[:3]} <mark>{decomposed[4:]}</mark>"
    # Whole words only, except the last one while typing.
    assert highlight("Cao cà phê", ["ca"]) == "Cao <mark>cà</mark> phê"
    assert (
        highlight("Cao cà phê", ["ca"], prefix_last=True) == "<mark>Cao</mark> <mark>cà</mark> phê"
    )


def test_snippet_is_cut_around_the_first_match():
    text = "Mở đầu. " + "chữ " * 100 + "Mật ong rừng U Minh ngọt đậm. " + "đuôi " * 100
    result = snippet(text, ["mat", "ong"], length=120)
    assert result.startswith("…") and result.endswith("…")
    assert "<mark>Mật</mark> <mark>ong</mark>" in result
    assert len(result) < 220
    assert snippet("Không có gì", ["xyz"]) == "Không có gì"
