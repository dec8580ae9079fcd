"""Monument and artefact names in a text: one Aho-Corasick automaton over every name and its variants.

The text is folded once (case, accents, typographic apostrophes and dashes, runs
of white space, format characters such as zero-width spaces dropped), scanned once
by the automaton, and every match is mapped back to the original text, so the time
is linear in the text's length whatever the number of names. Each name is added
under a few variants (British and American spelling, singular and plural, the
synonyms below), so the text itself is never rewritten.

A part of a site is named only in its site's context (``Gazetteer``): the names found
are read once more, each qualifier in a bounded stretch of text beside its name, and each
shared name is resolved once per article, so that too is linear in the text.
"""

import calendar
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

    @property
    def is_part(self) -> bool:
        """Return whether this is a part of a site, which a text names only in its site's context."""
        return self.model == "monument" and self.site is not None and self.site != self.id


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


# Capitalised words after "of", "at" or "in" that name no place: dates, and what reports call the group.
_NOT_PLACES = frozenset(
    name.casefold()
    for name in (*calendar.month_name, *calendar.day_name, "IS", "ISIS", "ISIL", "Daesh", "Islamic")
    if name
)
# Owners that are no place, and contractions: "It's the citadel" qualifies nothing.
_NOT_OWNERS = _NOT_PLACES | frozenset(["it", "that", "there", "here", "what", "who", "where", "he", "she", "let"])
# White space within a paragraph: a blank line between a name and "In Aleppo" ends the phrase.
_GAP = r"(?=\s)[^\S\n]*+\n?+[^\S\n]*+"
# "the citadel of Aleppo", "the theatre at Bosra", "the museum in the Ancient City of Aleppo".
_PLACE_AFTER = re.compile(rf"{_GAP}(?:of|at|in){_GAP}(?:the{_GAP})?", re.IGNORECASE)
# "Aleppo's citadel", "Palmyra's ancient Roman theatre", "Homs' museum": a capitalised owner, at most two
# lowercase words.
_OWNER_BEFORE = re.compile(
    rf"(?<![\w'’-])(?P<owner>\w[\w-]*+)(?:['’]s|(?<=s)['’]){_GAP}(?:[a-z][\w-]*+{_GAP}){{0,2}}\Z"
)
# "Syria's " in "the theatre in Syria's Palmyra".
_OWNED = re.compile(rf"\w[\w-]*+['’]s{_GAP}(?:the{_GAP})?")
# How far before a name its owner may stand: the owner, "'s" and two words.
_LOOK_BEHIND = 80
_LONGEST_NOT_PLACE = max(map(len, _NOT_PLACES))
_WORD = re.compile(r"\w+")
_ARABIC_ARTICLE = "\u0627\u0644"
_ARABIC_IN = " \u0641\u064a "
# "و" (and) before the next word, or joined to it ("والمسرح", "and the theatre"), starts no construct state.
_ARABIC_AND = "\u0648"
# An article that names more sites than this, each with a part of one name, does not say which a curator
# could choose from: the name alone is no mention of any (and candidates stored stay linear in the text).
MAX_CANDIDATES = 20
# A qualifier that names no registered site: the name is a part of some other place's.
_ELSEWHERE: frozenset[int] = frozenset()


def _is_arabic(char: str) -> bool:
    return ("\u0600" <= char <= "\u06ff" or "\u0750" <= char <= "\u077f" or "\u08a0" <= char <= "\u08ff") and (
        char.isalpha()
    )


def _capitalised(char: str) -> bool:
    """Return whether a word starting with ``char`` may be a proper name: capitalised, or in a script without case."""
    return char.isupper() or (char.isalpha() and not char.islower())


@dataclass(frozen=True)
class Ambiguity:
    """A name that may be a part of any of several sites the text makes the context, without saying which."""

    candidates: tuple[Subject, ...]
    # The candidates' sites, one object shared by every ambiguity of the same name in a text.
    sites: frozenset[int]
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class Reading:
    """What a text names: the subjects it names, and the names only a curator can resolve."""

    matches: list[Match] = field(default_factory=list)
    ambiguities: list[Ambiguity] = field(default_factory=list)


class _Entry:
    """What one folded name stands for, sorted for the context rule.

    ``others`` are sites, places that are no site's part, and artefacts: they match by name. Parts match only
    in their site's context; ``self_qualified`` ones carry their site's name in this name ("Palmyra Castle").
    ``places`` are the sites the name points to when it qualifies a part ("the theatre at Bosra").
    """

    __slots__ = ("length", "subjects", "name", "others", "parts_by_site", "self_qualified", "places")

    def __init__(self, key: str, subjects: tuple[Subject, ...], name: int, sites_in_key: set[int]):
        self.length = len(key)
        self.subjects = subjects
        # The same number for every spelling of a name: "citadel" and "citadels" name the same subjects.
        self.name = name
        self.others = tuple(subject for subject in subjects if not subject.is_part)
        parts_by_site: dict[int, list[Subject]] = {}
        for subject in subjects:
            if subject.is_part:
                parts_by_site.setdefault(subject.site, []).append(subject)
        self.parts_by_site = {site: tuple(parts) for site, parts in parts_by_site.items()}
        self.self_qualified = tuple(subject for subject in subjects if subject.is_part and subject.site in sites_in_key)
        self.places = frozenset(subject.site for subject in subjects if subject.model == "monument")


def _whole_words(text: str, start: int, end: int) -> bool:
    return not (start > 0 and text[start - 1].isalnum()) and not (end < len(text) and text[end].isalnum())


class Gazetteer:
    """Every name of every monument and artefact, compiled into one automaton.

    The context rule: a part of a site (a monument with ``part_of``) is named only where the text makes its
    site the context, by naming the site (or in ``context``, such as the title) or by qualifying the part with
    it ("Palmyra's citadel", "the theatre at Bosra", "the citadel of Palmyra", Arabic "قلعة تدمر"); a part
    qualified by another place ("the Citadel of Aleppo"), registered or not, is no part of a different site.
    Where the context is several sites with a part of that name, the name is an ``Ambiguity``; so it is where
    the text also gives that name to a part of a place with none registered ("the Citadel of Aleppo" and then
    "the citadel", in an article that names Palmyra too), even with one candidate.
    """

    def __init__(self, names: Iterable[tuple[Subject, str]]):
        self._automaton = ahocorasick.Automaton()
        self.subjects: dict[tuple[str, int], Subject] = {}
        self.name_count = 0
        # Insertion-ordered sets: a name shared by thousands of places is added in linear time.
        by_key: dict[str, dict[Subject, None]] = {}
        for subject, name in names:
            self.name_count += 1
            self.subjects[(subject.model, subject.id)] = subject
            for key in name_keys(name):
                by_key.setdefault(key, {})[subject] = None
        site_names = ahocorasick.Automaton()
        for key, subjects in by_key.items():
            sites = tuple(subject.id for subject in subjects if subject.is_site)
            if sites:
                site_names.add_word(key, (len(key), sites))
        if len(site_names):
            site_names.make_automaton()
        names: dict[tuple[Subject, ...], int] = {}
        for key, subjects in by_key.items():
            subjects = tuple(subjects)
            sites_in_key = set()
            if len(site_names) and any(subject.is_part for subject in subjects):
                for last, (length, sites) in site_names.iter(key):
                    if _whole_words(key, last - length + 1, last + 1):
                        sites_in_key.update(sites)
            name = names.setdefault(subjects, len(names))
            self._automaton.add_word(key, _Entry(key, subjects, name, sites_in_key))
        self.key_count = len(self._automaton)
        if self.key_count:
            self._automaton.make_automaton()

    def _chosen(self, haystack: str) -> list[tuple[int, int, _Entry]]:
        """Return the names in a folded text, leftmost and longest first, without overlaps, in text order."""
        candidates = []
        for last, entry in self._automaton.iter(haystack):
            start, end = last - entry.length + 1, last + 1
            # Whole words only: no "arch" inside "search".
            if _whole_words(haystack, start, end):
                candidates.append((start, -end, entry))
        checkpoint()
        candidates.sort(key=lambda candidate: candidate[:2])
        chosen, reached = [], 0
        for start, negative_end, entry in candidates:
            if start >= reached:
                chosen.append((start, -negative_end, entry))
                reached = -negative_end
        return chosen

    def find(self, text: str, *, context: str = "") -> list[Match]:
        """Return every subject ``text`` names, in text order; ambiguous names are left out (see ``read``)."""
        return self.read(text, context=context).matches

    def read(self, text: str, *, context: str = "") -> Reading:
        """Return every subject ``text`` names, in text order, and the names only a curator can resolve.

        A name shared by several sites, places or artefacts is credited to those in a site the text also names
        unambiguously; when it names none of their sites, to all of them. A part of a site follows the context
        rule (see the class). ``context`` (an article's title) names sites without being searched for subjects.
        """
        if not self.key_count or not text:
            return Reading()
        folded = Folded(text)
        checkpoint()
        haystack = folded.text
        chosen = self._chosen(haystack)
        named_sites = {
            entry.subjects[0].site for _, _, entry in chosen if len(entry.subjects) == 1 and not entry.parts_by_site
        }
        credited: dict[_Entry, tuple[Subject, ...]] = {}

        def others(entry: _Entry) -> tuple[Subject, ...]:
            if entry not in credited:
                found = entry.others
                if len(found) > 1:
                    found = tuple(subject for subject in found if subject.site in named_sites) or found
                credited[entry] = found
            return credited[entry]

        context_sites: set[int] = set()
        in_context = chosen + (self._chosen(fold(context)) if context else [])
        for entry in {entry: None for _, _, entry in in_context}:
            context_sites.update(subject.id for subject in others(entry) if subject.is_site)
            context_sites.update(part.site for part in entry.self_qualified)

        spans = [folded.span(start, end) for start, end, _ in chosen]
        places = _Places(
            by_start={span[0]: entry.places for span, (_, _, entry) in zip(spans, chosen, strict=True)},
            by_end={span[1]: entry.places for span, (_, _, entry) in zip(spans, chosen, strict=True)},
            by_folded_start={start: entry.places for start, _, entry in chosen},
        )
        qualifiers = []
        for (start, end, entry), (original_start, original_end) in zip(chosen, spans, strict=True):
            qualifier = None
            if entry.parts_by_site and not entry.self_qualified:
                qualifier = places.qualifier(text, original_start, original_end)
                if qualifier is None:
                    qualifier = places.construct(haystack, start, end)
            qualifiers.append(qualifier)
        resolved: dict[tuple[_Entry, frozenset[int] | None], _Resolution] = {}
        # Names the text also gives a part of a place that has none registered ("the Citadel of Aleppo", Aleppo
        # unknown): there, "the citadel" alone may be that place's too, so it is never simply a registered one.
        elsewhere = set()
        for (_, _, entry), qualifier in zip(chosen, qualifiers, strict=True):
            if qualifier is not None and (entry, qualifier) not in resolved:
                resolved[entry, qualifier] = _parts(entry, qualifier)
                if not resolved[entry, qualifier].parts:
                    elsewhere.add(entry.name)
        reading = Reading()
        for (_, _, entry), (original_start, original_end), qualifier in zip(chosen, spans, qualifiers, strict=True):
            written = text[original_start:original_end]
            for subject in others(entry):
                reading.matches.append(Match(subject, original_start, original_end, written))
            if not entry.parts_by_site:
                continue
            if (entry, qualifier) not in resolved:
                named_elsewhere = not entry.self_qualified and entry.name in elsewhere
                resolved[entry, qualifier] = _parts(entry, context_sites, named_elsewhere=named_elsewhere)
            found = resolved[entry, qualifier]
            if found.ambiguous:
                reading.ambiguities.append(Ambiguity(found.parts, found.sites, original_start, original_end, written))
            else:
                reading.matches.extend(Match(part, original_start, original_end, written) for part in found.parts)
        return reading


@dataclass(frozen=True)
class _Resolution:
    parts: tuple[Subject, ...]
    sites: frozenset[int]
    ambiguous: bool


def _parts(entry: _Entry, sites: "set[int] | frozenset[int]", *, named_elsewhere: bool = False) -> _Resolution:
    """Return the parts a name may be in these sites, and whether a curator must choose.

    They must when the parts are in more than one site, or when the text gives the name to another place's
    part too (``named_elsewhere``). Past ``MAX_CANDIDATES`` sites the name is too vague to offer at all.
    """
    if entry.self_qualified:
        parts = entry.self_qualified
    elif len(sites) < len(entry.parts_by_site):
        parts = tuple(part for site in sites for part in entry.parts_by_site.get(site, ()))
    else:
        parts = tuple(part for site, found in entry.parts_by_site.items() if site in sites for part in found)
    parts = tuple(sorted(parts, key=lambda part: part.id))
    in_sites = frozenset(part.site for part in parts)
    if len(in_sites) > MAX_CANDIDATES:
        return _Resolution((), frozenset(), False)
    return _Resolution(parts, in_sites, len(in_sites) > 1 or bool(parts and named_elsewhere))


@dataclass(frozen=True)
class _Places:
    """The sites each name in a text points to, by where the name starts and ends, to read qualifiers by."""

    by_start: dict[int, frozenset[int]]
    by_end: dict[int, frozenset[int]]
    by_folded_start: dict[int, frozenset[int]]

    def qualifier(self, text: str, start: int, end: int) -> frozenset[int] | None:
        """Return the sites an English phrase qualifies the name at [start, end) with; none, when another place.

        None when the name is unqualified. Reads a bounded stretch of text either side of the name.
        """
        before = _OWNER_BEFORE.search(text, max(0, start - _LOOK_BEHIND), start)
        if before:
            owner = before.group("owner")
            if _capitalised(owner[0]) and owner.casefold() not in _NOT_OWNERS:
                return self.by_end.get(before.end("owner"), _ELSEWHERE)
        # "the Aleppo citadel": a registered site's name right before the part; any other word may be the
        # part's own adjective ("the Roman theatre"), so it qualifies nothing.
        if start > 0 and text[start - 1] == " " and start - 1 in self.by_end:
            return self.by_end[start - 1]
        after = _PLACE_AFTER.match(text, end)
        if not (after and after.end() < len(text) and _capitalised(text[after.end()])):
            return None
        place = after.end()
        word = _WORD.match(text, place, place + _LONGEST_NOT_PLACE + 1)
        if word and word.group().casefold() in _NOT_PLACES:
            return None
        if place in self.by_start:
            return self.by_start[place]
        # "the theatre in Syria's Palmyra": the place is the one the possessive introduces, if registered.
        owned = _OWNED.match(text, place)
        if owned:
            return self.by_start.get(owned.end())
        return _ELSEWHERE

    def construct(self, haystack: str, start: int, end: int) -> frozenset[int] | None:
        """Return the sites an Arabic name in the folded text is qualified with: "قلعة حلب", "المسرح في تدمر".

        An indefinite noun followed by another is the construct state ("the citadel of"): the next word is its
        place, registered or not, unless it is "and". A definite name followed by "في" (in) is qualified only by
        a registered site.
        """
        if not _is_arabic(haystack[start]):
            return None
        if not haystack.startswith(_ARABIC_ARTICLE, start):
            following = end + 1
            if following < len(haystack) and haystack[end] == " " and _is_arabic(haystack[following]):
                if (
                    haystack.startswith(_ARABIC_AND, following)
                    and not haystack[following + 1 : following + 2].isalpha()
                ):
                    return None
                if haystack.startswith(_ARABIC_AND + _ARABIC_ARTICLE, following):
                    return None
                return self.by_folded_start.get(following, _ELSEWHERE)
            return None
        if haystack.startswith(_ARABIC_IN, end):
            return self.by_folded_start.get(end + len(_ARABIC_IN))
        return None
