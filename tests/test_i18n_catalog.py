"""The Arabic catalog: every message translated and compiled, and every string of the interface in it.

`make messages` re-extracts and compiles (docs/I18N.md); these tests fail when someone forgot to.
"""

import re
import shutil
from html.parser import HTMLParser
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.core.management import call_command
from django.template.base import Lexer, TokenType
from django.test import override_settings

BASE_DIR = Path(settings.BASE_DIR)
CATALOG = BASE_DIR / "locale" / "ar" / "LC_MESSAGES" / "django.po"
COMPILED = CATALOG.with_suffix(".mo")
ARABIC_PLURAL_FORMS = (
    "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5;"
)
# What Python fills in a message: %(name)s, %s, %d, {name}, {}; %% is a literal percent sign.
PLACEHOLDER = re.compile(r"%\([^)]+\)[-#0 +]*\d*(?:\.\d+)?[sdifr]|%[sdif]|\{[A-Za-z_0-9]*\}")
# As `make messages` extracts: these folders hold no interface string.
IGNORED = (".venv", "tests", "bench", "var", "locale", ".git", "node_modules", "__pycache__", "static")


@pytest.fixture(scope="module")
def catalog() -> polib.POFile:
    return polib.pofile(str(CATALOG))


def placeholders(text: str) -> list[str]:
    return sorted(PLACEHOLDER.findall(text))


def test_the_catalog_has_arabics_six_plural_forms(catalog):
    assert catalog.metadata["Plural-Forms"] == ARABIC_PLURAL_FORMS
    assert catalog.metadata["Language"] == "ar"
    plurals = [entry for entry in catalog if entry.msgid_plural and not entry.obsolete]
    assert plurals, "the interface has plural messages (list counts), so the catalog must"
    for entry in plurals:
        assert sorted(entry.msgstr_plural) == [0, 1, 2, 3, 4, 5], entry.msgid


def test_every_message_is_translated_and_none_is_fuzzy(catalog):
    assert not catalog.metadata_is_fuzzy
    untranslated = [entry.msgid for entry in catalog.untranslated_entries()]
    assert untranslated == [], "run `make messages` and translate these"
    assert [entry.msgid for entry in catalog.fuzzy_entries()] == []
    assert [entry.msgid for entry in catalog if entry.obsolete] == []


def test_translations_keep_every_placeholder(catalog):
    for entry in catalog:
        if entry.msgid_plural:
            wanted = placeholders(entry.msgid_plural)
            for form, text in entry.msgstr_plural.items():
                # Zero, one and two may name their number in words ("سجلان"), as Arabic does; 3+ must show it.
                if form <= 2:
                    assert set(placeholders(text)) <= set(wanted), (entry.msgid, form)
                else:
                    assert placeholders(text) == wanted, (entry.msgid, form)
        else:
            assert placeholders(entry.msgstr) == placeholders(entry.msgid), entry.msgid


def test_months_are_named_as_in_syria_and_iraq(catalog):
    months = {entry.msgid: entry.msgstr for entry in catalog if entry.msgid in ("January", "March", "December")}
    assert months == {"January": "كانون الثاني", "March": "آذار", "December": "كانون الأول"}


def messages_of(compiled: polib.MOFile) -> dict:
    return {
        (entry.msgctxt, entry.msgid): (entry.msgstr, dict(entry.msgstr_plural)) for entry in compiled if entry.msgid
    }


def test_the_committed_mo_is_the_compiled_po(catalog, tmp_path):
    """Compared by content: a fresh clone's mtimes say nothing about which file was written last."""
    compiled_now = tmp_path / "django.mo"
    catalog.save_as_mofile(str(compiled_now))
    committed = polib.mofile(str(COMPILED))
    assert messages_of(committed) == messages_of(polib.mofile(str(compiled_now))), "run `make messages`"
    assert committed.metadata["Plural-Forms"] == ARABIC_PLURAL_FORMS


def copy_sources(destination: Path) -> None:
    """Copy the files makemessages reads (Python, templates), leaving out what `make messages` ignores."""

    def ignored(folder: str, names: list[str]) -> set[str]:
        return {
            name
            for name in names
            if name in IGNORED or ((Path(folder) / name).is_file() and not name.endswith((".py", ".html", ".txt")))
        }

    for entry in BASE_DIR.iterdir():
        if entry.is_dir() and entry.name not in IGNORED and not entry.name.startswith("."):
            shutil.copytree(entry, destination / entry.name, ignore=ignored)


def test_makemessages_finds_nothing_missing_from_the_catalog(catalog, tmp_path, monkeypatch):
    copy_sources(tmp_path / "src")
    (tmp_path / "src" / "locale").mkdir()
    monkeypatch.chdir(tmp_path / "src")
    with override_settings(LOCALE_PATHS=[tmp_path / "src" / "locale"]):
        call_command("makemessages", locale=["ar"], no_location=True, verbosity=0)
    extracted = polib.pofile(str(tmp_path / "src" / "locale" / "ar" / "LC_MESSAGES" / "django.po"))
    known = {(entry.msgctxt, entry.msgid) for entry in catalog}
    missing = sorted(entry.msgid for entry in extracted if (entry.msgctxt, entry.msgid) not in known)
    assert missing == [], "run `make messages` and translate these"


# Template text ----------------------------------------------------------------------------------------------------

TEMPLATE_DIRS = [BASE_DIR / "templates"]
TRANSLATION_TAGS = ("translate", "trans")
# Blocks whose content is no text of the page: a translation, or a comment (a note to translators).
SKIPPED_BLOCKS = {"blocktranslate": "endblocktranslate", "blocktrans": "endblocktrans", "comment": "endcomment"}
# Attributes a person reads (or hears, from a screen reader).
READ_ATTRIBUTES = {"title", "alt", "placeholder", "aria-label", "aria-description", "label"}
LETTER = re.compile(r"[^\W\d_]")
# A variable's value stands in as a character that is no letter.
VALUE = "\x00"
# Tags that put nothing in the page themselves.
SILENT_TAGS = {
    *("if", "elif", "else", "endif", "for", "empty", "endfor", "with", "endwith", "block", "endblock"),
    *("extends", "load", "spaceless", "endspaceless", "autoescape", "endautoescape"),
    *("language", "endlanguage", "localize", "endlocalize", "csrf_token"),
}


def untranslated_source(source: str) -> str:
    """Return the template with its translation tags and blocks, comments and tags left out, variables as VALUE."""
    kept, closing = [], None
    for token in Lexer(source).tokenize():
        if closing is not None:
            if token.token_type == TokenType.BLOCK and token.contents.split()[0] == closing:
                closing = None
            continue
        if token.token_type == TokenType.TEXT:
            kept.append(token.contents)
        elif token.token_type == TokenType.VAR:
            kept.append(VALUE)
        elif token.token_type == TokenType.BLOCK:
            name = token.contents.split()[0]
            if name in SKIPPED_BLOCKS:
                closing = SKIPPED_BLOCKS[name]
            elif name not in TRANSLATION_TAGS and name not in SILENT_TAGS and token.contents.split()[-2:-1] != ["as"]:
                # Another tag ({% url %}, {% when %}, {% include %}) puts in a value, not words of the template.
                kept.append(VALUE)
    return "".join(kept)


class VisibleText(HTMLParser):
    """Collect the words a reader sees: text outside scripts and styles, and read attributes."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.words, self.hidden = [], 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1
        self.words += [
            f"{tag}[{name}]={value}"
            for name, value in attrs
            if name in READ_ATTRIBUTES and value and LETTER.search(value)
        ]

    def handle_endtag(self, tag):
        if tag in ("script", "style"):
            self.hidden = max(0, self.hidden - 1)

    def handle_data(self, data):
        if not self.hidden and LETTER.search(data):
            self.words.append(data.strip())


def templates() -> list[Path]:
    return sorted(
        path for folder in TEMPLATE_DIRS for path in folder.rglob("*") if path.suffix in (".html", ".svg", ".txt")
    )


def test_every_template_is_found():
    names = {path.name for path in templates()}
    assert {"base.html", "404.html", "500.html", "monument_detail.html", "_timeline.svg"} <= names


@pytest.mark.parametrize("path", templates(), ids=lambda path: str(path.relative_to(BASE_DIR)))
def test_every_word_of_the_template_is_marked_for_translation(path):
    parser = VisibleText()
    parser.feed(untranslated_source(path.read_text(encoding="utf-8")))
    parser.close()
    assert parser.words == [], "wrap these in {% translate %} or {% blocktranslate %}"


def test_the_template_check_sees_unmarked_words():
    """The check itself: a word outside translation tags is caught, in text and in a read attribute."""
    parser = VisibleText()
    parser.feed(untranslated_source('<p title="Hello">{% translate "Kept" %} {{ name }} · Left</p>'))
    assert parser.words == ["p[title]=Hello", f"{VALUE} · Left"]
