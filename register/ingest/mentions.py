"""Monument and artefact names in a text: one Aho-Corasick automaton over every name and its variants.

The text is folded once (case, accents, typographic apostrophes and dashes, runs
of white space, format characters such as zero-width spaces dropped), scanned once
by the automaton, and every match is mapped back to the original text, so the time
is linear in the text's length whatever the number of names. Each name is added
under a few variants (British and American spelling, singular and plural, the
synonyms below), so the text itself is never rewritten.
"""

import itertools
import re
import unicodedata
from bisect import bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field

import ahocorasick

from register.ingest.budget import checkpoint

# Cross-name equivalences the register's alternate names should hold, and until they do, hold here.
SYNONYMS: tuple[tuple[str, ...], ...] = (
    ("funerary towers", "tower tombs", "funerary tower tombs"),
    ("monumental arch", "arch of triumph", "triumphal arch"),
    ("palmyra", "tadmur", "tadmor"),
)
# Words spelled more than one way in English reports (British, American, or in common use).
SPELLINGS: tuple[tuple[str, ...], ...] = (
    ("theatre", "theater"),
    ("amphitheatre", "amphitheater"),
    ("centre", "center"),
    ("funerary", "funeral"),
    ("archaeological", "archeological"),
    ("mediaeval", "medieval"),
)
# Words that open a name without being needed to recognise it: "The Tetrapylon", "Two funerary busts".
_OPENING_WORDS = frozenset(["the", "a", "an", "two", "three", "four", "five", "six", "several"])
_MIN_KEY = 3
_MAX_SPELLINGS = 8

_PUNCTUATION = {
    **dict.fromkeys("’‘ʼ′`´", "'"),
    **dict.fromkeys("“”„″", '"'),
    **dict.fromkeys("–—‐‑‒−", "-"),
}
# Printable ASCII words separated by single spaces (folded with str.lower in one go), runs of
# white space (folded to one space), and any other character (folded on its own).
# Unicode's format characters (category Cf: zero-width spaces and joiners, soft hyphen, direction marks and
# overrides, ...), which are not read; a test holds this list equal to the unicodedata module's.
FORMAT_CHARACTERS = re.compile(
    "[\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890-\u0891\u08e2\u180e\u200b-\u200f\u202a-\u202e\u2060-\u2064"
    "\u2066-\u206f\ufeff\ufff9-\ufffb\U000110bd\U000110cd\U00013430-\U00013438\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_SEGMENTS = re.compile(r"(?P<ascii>[!-~]+(?: [!-~]+)*)|(?P<space>\s+)|(?P<other>.)", re.DOTALL)
_fold_cache: dict[str, str] = {}


def _fold_char(char: str) -> str:
    folded = _fold_cache.get(char)
    if folded is None:
        if FORMAT_CHARACTERS.match(char):
            # Not read, so not matched: inside a name a zero-width space or soft hyphen would hide it.
            folded = ""
        elif char in _PUNCTUATION:
            folded = _PUNCTUATION[char]
        else:
            decomposed = unicodedata.normalize("NFKD", char)
            folded = "".join(part for part in decomposed if not unicodedata.combining(part)).casefold()
        _fold_cache[char] = folded
    return folded


class Folded:
    """A text folded for matching, with the way back from each folded offset to the original."""

    __slots__ = ("original", "text", "_folded_starts", "_original_starts", "_steps")

    def __init__(self, original: str):
        parts, folded_starts, original_starts, steps = [], [], [], []
        length = 0
        for segment in _SEGMENTS.finditer(original):
            kind = segment.lastgroup
            if kind == "ascii":
                folded, step = segment.group().lower(), 1
            elif kind == "space":
                folded, step = " ", 0
            else:
                folded, step = _fold_char(segment.group()), 0
                if not folded:
                    continue
            folded_starts.append(length)
            original_starts.append(segment.start())
            steps.append(step)
            parts.append(folded)
            length += len(folded)
        self.original = original
        self.text = "".join(parts)
        self._folded_starts = folded_starts
        self._original_starts = original_starts
        self._steps = steps

    def _origin(self, index: int) -> int:
        segment = bisect_right(self._folded_starts, index) - 1
        return self._original_starts[segment] + self._steps[segment] * (index - self._folded_starts[segment])

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Return the original span of the folded span [start, end)."""
        original_start, original_end = self._origin(start), self._origin(end - 1) + 1
        # A decomposed accent after the last letter belongs to the name.
        while original_end < len(self.original) and unicodedata.combining(self.original[original_end]):
            original_end += 1
        return original_start, original_end


def fold(text: str) -> str:
    """Return ``text`` folded the way the matcher compares it."""
    return Folded(text).text


@dataclass(frozen=True)
class Subject:
    """What a name names: a monument or an artefact, with what ambiguity and anaphora need."""

    model: str
    id: int
    slug: str
    site: int | None = field(default=None, compare=False)
    origin: int | None = field(default=None, compare=False)
    monument_kind: str = field(default="", compare=False)

    @property
    def is_site(self) -> bool:
        return self.model == "monument" and self.site == self.id


@dataclass(frozen=True)
class Match:
    subject: Subject
    start: int
    end: int
    text: str


def _spelling_table() -> dict[str, tuple[str, ...]]:
    table = {}
    for group in SPELLINGS:
        for word in group:
            table[word] = group
    return table


_SPELLING = _spelling_table()


def _number_variants(word: str) -> set[str]:
    """Return the word with its plural or singular (English rules, Latin letters only)."""
    if not (word.isascii() and word.isalpha()) or len(word) < 3:
        return {word}
    if word.endswith("ies") and len(word) > 4:
        return {word, word[:-3] + "y"}
    if word.endswith(("ches", "shes", "xes", "sses", "zes")):
        return {word, word[:-2]}
    if word.endswith("s") and not word.endswith(("ss", "us", "is")):
        return {word, word[:-1]}
    if word.endswith(("ch", "sh", "x", "s", "z")):
        return {word, word + "es"}
    if word.endswith("y") and word[-2] not in "aeiou":
        return {word, word[:-1] + "ies"}
    return {word, word + "s"}


def _forms(phrase: str) -> set[str]:
    """Return the phrase under every spelling of its words, each in the singular and the plural."""
    words = phrase.split(" ")
    spellings = itertools.islice(itertools.product(*(_SPELLING.get(word, (word,)) for word in words)), _MAX_SPELLINGS)
    forms = set()
    for spelled in spellings:
        head = " ".join(spelled[:-1])
        for last in _number_variants(spelled[-1]):
            forms.add(f"{head} {last}" if head else last)
    return forms


def _synonym_index() -> dict[str, tuple[str, ...]]:
    index = {}
    for group in SYNONYMS:
        for phrase in group:
            for form in _forms(phrase):
                index[form] = group
    return index


_SYNONYM_INDEX = _synonym_index()


def _base(name: str) -> str:
    """Return the folded name without parenthetical remarks, edge punctuation or opening words."""
    text = fold(re.sub(r"\([^)]*\)|\[[^]]*\]", " ", name))
    text = re.sub(r"\s+", " ", text).strip(" \"'.,;:-")
    words = text.split(" ")
    while len(words) > 1 and words[0] in _OPENING_WORDS:
        words.pop(0)
    return " ".join(words)


def name_keys(name: str) -> set[str]:
    """Return every folded form under which ``name`` is recognised."""
    base = _base(name)
    if not base:
        return set()
    phrases = {base}
    for form in _forms(base):
        phrases.update(_SYNONYM_INDEX.get(form, ()))
    keys = set()
    for phrase in phrases:
        for form in _forms(phrase):
            keys.add(form)
            if "-" in form:
                keys.add(form.replace("-", " "))
                keys.add(form.replace("-", ""))
    return {key for key in keys if len(key) >= _MIN_KEY and not key.isdigit()}


class Gazetteer:
    """Every name of every monument and artefact, compiled into one automaton."""

    def __init__(self, names: Iterable[tuple[Subject, str]]):
        self._automaton = ahocorasick.Automaton()
        self.subjects: dict[tuple[str, int], Subject] = {}
        self.name_count = 0
        for subject, name in names:
            self.name_count += 1
            self.subjects[(subject.model, subject.id)] = subject
            for key in name_keys(name):
                known = self._automaton.get(key, None)
                if known is None:
                    self._automaton.add_word(key, (len(key), (subject,)))
                elif subject not in known[1]:
                    self._automaton.add_word(key, (len(key), (*known[1], subject)))
        self.key_count = len(self._automaton)
        if self.key_count:
            self._automaton.make_automaton()

    def find(self, text: str) -> list[Match]:
        """Return every name in ``text``, leftmost and longest first, without overlaps, in text order.

        A name shared by several subjects is credited to those in a site the text
        also names unambiguously; when it names none of their sites, to all of them.
        """
        if not self.key_count or not text:
            return []
        folded = Folded(text)
        checkpoint()
        haystack = folded.text
        candidates = []
        for last, (length, subjects) in self._automaton.iter(haystack):
            start, end = last - length + 1, last + 1
            # Whole words only: no "arch" inside "search".
            if (start > 0 and haystack[start - 1].isalnum()) or (end < len(haystack) and haystack[end].isalnum()):
                continue
            candidates.append((start, -end, subjects))
        checkpoint()
        candidates.sort()
        chosen, reached = [], 0
        for start, negative_end, subjects in candidates:
            if start >= reached:
                chosen.append((start, -negative_end, subjects))
                reached = -negative_end
        named_sites = {subjects[0].site for _, _, subjects in chosen if len(subjects) == 1}
        matches = []
        for start, end, subjects in chosen:
            if len(subjects) > 1:
                subjects = tuple(subject for subject in subjects if subject.site in named_sites) or subjects
            original_start, original_end = folded.span(start, end)
            for subject in subjects:
                matches.append(Match(subject, original_start, original_end, text[original_start:original_end]))
        return matches
