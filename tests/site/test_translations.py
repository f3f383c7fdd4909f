"""Every interface string has a Vietnamese translation, and the compiled catalogue is current."""

import gettext
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
LOCALE = ROOT / "site" / "portal" / "locale"
SOURCES = [
    ROOT / "site" / "portal",
    ROOT / "search",
    ROOT / "quizzes",
    ROOT / "courses",
    ROOT / "marketplace",
]

TEMPLATE_STRING = re.compile(r"""{%\s*(?:translate|trans)\s+(["'])(.+?)\1""")
PYTHON_STRING = re.compile(r"""\b_\(\s*(["'])(.+?)(?<!\\)\1\s*[,)]""")


def parse_po(path: Path) -> dict[str, str]:
    """msgid -> msgstr (first plural form) for a .po file, without a gettext dependency."""
    entries, current, key = {}, {}, None
    for raw in path.read_text(encoding="utf-8").splitlines() + [""]:
        line = raw.strip()
        if not line:
            if "msgid" in current:
                # A msgid with a context is keyed "context\x04msgid", as in the compiled file.
                entry_key = current["msgid"]
                if "msgctxt" in current:
                    entry_key = f"{current['msgctxt']}\x04{entry_key}"
                entries[entry_key] = current.get("msgstr", current.get("msgstr[0]", ""))
            current, key = {}, None
        elif line.startswith("#"):
            continue
        elif line.startswith('"') and key:
            current[key] += eval(line)  # noqa: S307 - a quoted .po string literal from our repo
        else:
            key, _, value = line.partition(" ")
            current[key] = eval(value)  # noqa: S307
    entries.pop("", None)
    return entries


def source_strings() -> set[str]:
    found = set()
    for base in SOURCES:
        for path in base.rglob("*"):
            if "migrations" in path.parts or path.suffix not in {".html", ".py"}:
                continue
            text = path.read_text(encoding="utf-8")
            pattern = TEMPLATE_STRING if path.suffix == ".html" else PYTHON_STRING
            found.update(match.group(2) for match in pattern.finditer(text))
    return found


@pytest.fixture(scope="module")
def vietnamese():
    return parse_po(LOCALE / "vi" / "LC_MESSAGES" / "django.po")


def test_every_vietnamese_entry_is_translated(vietnamese):
    untranslated = sorted(msgid for msgid, msgstr in vietnamese.items() if not msgstr)
    assert untranslated == []


def test_every_source_string_is_in_the_catalogue(vietnamese):
    plain = {msgid.rpartition("\x04")[2] for msgid in vietnamese}
    missing = sorted(source_strings() - plain)
    assert missing == [], "run `make messages` and translate: " + repr(missing)


def test_compiled_catalogue_matches_the_po_file(vietnamese):
    with open(LOCALE / "vi" / "LC_MESSAGES" / "django.mo", "rb") as handle:
        compiled = gettext.GNUTranslations(handle)

    def compiled_text(msgid):
        context, _, text = msgid.rpartition("\x04")
        return compiled.pgettext(context, text) if context else compiled.gettext(text)

    stale = sorted(msgid for msgid, msgstr in vietnamese.items() if compiled_text(msgid) != msgstr)
    assert stale == [], "run `make messages` to recompile django.mo"
