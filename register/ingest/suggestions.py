"""Sentences that name a monument or artefact and report what happened to it, as suggested evidence.

A suggestion is a guess for a curator to accept or reject: the sentence as the
quote, the subject it names, the kind of event its nearest trigger word reports
("destroyed", "brought back"), whom it attributes the report to ("a monitor
said"), and the date it gives, resolved against the publication date.
"""

import datetime as dt
import enum
import re
from bisect import bisect_left, bisect_right
from collections import Counter
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

import sentencex

from register.ingest.budget import checkpoint
from register.ingest.dates import DateGuess, find_dates
from register.ingest.mentions import FORMAT_CHARACTERS, Ambiguity, Match, Subject
from register.ingest.sources import cited_slug
from register.models.vocabularies import Condition, IncidentKind, MonumentKind, RestorationKind

# Trigger words by the kind of event they report; the first kinds win a tie in distance.
TRIGGERS: tuple[tuple[str, str], ...] = (
    (
        RestorationKind.RETURN,
        r"brought back|brings? back|bringing back|returned|repatriated|repatriation|handed back|sent back"
        r"|came back|restituted|restitution",
    ),
    (RestorationKind.RECONSTRUCTION, r"rebuilt|rebuild(?:s|ing)?|reconstruct(?:ed|ion|ing|s)?"),
    (RestorationKind.REPLICA, r"replicas?"),
    (RestorationKind.CONSERVATION, r"conserved|conservation|stabili[sz]ed"),
    (RestorationKind.RESTORATION, r"restor(?:ed|es|ing|ation|e)|repair(?:ed|ing|s)?"),
    (
        IncidentKind.DESTROYED,
        r"destroy(?:ed|s|ing)?|destruction|bl(?:ew|own|owing|ows?) up|raz(?:ed|es|ing|e)|demolish(?:ed|es|ing)?"
        r"|demolition|levell?ed|flattened|obliterated|dynamited|reduced to rubble|bulldoz(?:ed|ing)",
    ),
    (IncidentKind.LOOTED, r"loot(?:ed|ing|ers?|s)?|plunder(?:ed|ing)?|pillag(?:ed|ing|e)|stolen|smuggled|trafficked"),
    (IncidentKind.VANDALISED, r"vandali[sz](?:ed|ing|m)|desecrat(?:ed|ing|ion)"),
    (
        IncidentKind.DAMAGED,
        r"damag(?:ed|es|e|ing)|ravag(?:ed|es|e|ing)|smash(?:ed|es|ing)|shell(?:ed|ing)|defaced|disfigured"
        r"|bombarded|hit by",
    ),
    (IncidentKind.MISUSE, r"executions?|executed|beheaded|beheadings?"),
    (
        IncidentKind.MILITARY_USE,
        r"used as an? (?:military )?(?:base|barracks|depot|prison|firing position)"
        r"|turned into an? (?:base|barracks|prison)|military (?:base|position|post)s?"
        r"|booby[- ]trapped|planted (?:mines|explosives)",
    ),
)
_TRIGGER = re.compile(
    "|".join(rf"(?P<k{index}>\b(?:{pattern})\b)" for index, (_, pattern) in enumerate(TRIGGERS)), re.IGNORECASE
)
_RESTORATION_KINDS = frozenset(RestorationKind.values)
_NEGATION = re.compile(r"\b(?:not|no|never|nor|without|n't)\W+(?:\w+\W+){0,2}$", re.IGNORECASE)
# A trigger in a subordinate clause describes the subject's past, not the news: "busts damaged by IS",
# "after being restored in Italy", "the arch, which was restored".
_SUBORDINATE = re.compile(
    r"\b(?:after|before|since|once) (?:being|having been)\s+$"
    r"|\b(?:which|that|who) (?:was|were|had been|has been|is)\s+$",
    re.IGNORECASE,
)
# "the theatre's facade" after the article has named one theatre: that theatre.
_REFERENCES = {
    "theatre": MonumentKind.THEATRE,
    "theater": MonumentKind.THEATRE,
    "amphitheatre": MonumentKind.THEATRE,
    "amphitheater": MonumentKind.THEATRE,
    "arch": MonumentKind.ARCH,
    "tetrapylon": MonumentKind.TETRAPYLON,
    "citadel": MonumentKind.FORTIFICATION,
    "castle": MonumentKind.FORTIFICATION,
    "fortress": MonumentKind.FORTIFICATION,
    "temple": MonumentKind.TEMPLE,
    "museum": MonumentKind.MUSEUM,
}
_REFERENCE = re.compile(rf"\b[Tt]he ({'|'.join(_REFERENCES)})\b")
# Clauses that can carry their own attribution and date: "X destroyed A, while satellite images showed B".
_CLAUSE_BREAK = re.compile(r",\s+(?:while|whereas|but)\s+|;\s+")
_REPORTING = re.compile(
    r"\b(?:(?:has|have|had)\s+)?(?:said|says|say|told|tells|reported|reports|added|adds|warned|announced|confirmed"
    r"|showed|show|shows|claimed|stated|wrote|noted)\b"
)
_ACCORDING_TO = re.compile(r"\b[Aa]ccording to (?P<who>[^,.;\"“”]{2,120})")
# The speaker ends where a quotation, a clause or the sentence begins.
_SPEAKER_START = re.compile(r"[,;:(\"“”—]|\b(?:while|whereas|that|as|but|when)\b")
_NAME_AFTER = re.compile(
    r"\s+(?P<who>[A-Z][\w'’.-]*(?:\s+[A-Z][\w'’.-]*)*"
    r"(?:,\s+(?:the\s+|a\s+)?(?:head|director|chief|spokes(?:man|woman|person)|member|leader) of [^,.;]+)?)"
)
_OBJECT_AFTER = re.compile(r"\s+(?P<whom>[A-Z][\w-]*)")
_PRONOUNS = re.compile(r"^(?:he|she|they|it|the source|the official|the spokes(?:man|woman)|the monitor)\b", re.I)
_MAX_SPEAKER_WORDS = 12
_WORD = re.compile(r"\w+")
_WORD_RUN = re.compile(r"\S+")
# A speaker up to this long is counted by splitting it; a longer one through the clause's words, found once.
_COUNTED_AT_SIGHT = 200
# Enough words back from a trigger to hold "n't" (two words to the pattern) and the two words after it.
_LOOK_BACK_WORDS = 5
# What may stand between a name and a participle that describes it: "the lion, smashed by IS".
_ADJOINING = re.compile(r"\s*+,?\s*+")
# A sentence longer than this is no quote a curator can use: it gives no suggestion, and the article is flagged.
MAX_SENTENCE = 2000


@dataclass(frozen=True)
class Suggested:
    subject: Subject
    quote: str
    position: int
    kind: str
    trigger: str
    subject_text: str
    attribution: str
    cited: str | None
    date_phrase: str
    asserted: str
    asserted_earliest: dt.date | None = None
    asserted_latest: dt.date | None = None


@dataclass(frozen=True)
class _Span:
    start: int
    end: int
    text: str


def sentences(body: str, language: str = "en") -> Iterator[_Span]:
    """Yield each sentence of ``body`` with its span, white space trimmed."""
    for boundary in sentencex.get_sentence_boundaries(language.split("-")[0] or "en", body):
        start, end = boundary["start_index"], boundary["end_index"]
        text = body[start:end]
        stripped = text.strip()
        if not stripped:
            continue
        start += len(text) - len(text.lstrip())
        yield _Span(start, start + len(stripped), stripped)


def _clauses(sentence: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for match in _CLAUSE_BREAK.finditer(sentence):
        spans.append((start, match.start()))
        start = match.end()
    spans.append((start, len(sentence)))
    return spans


def attributions(clause: str) -> list[_Span]:
    """Return whom a clause attributes its report to: "a monitor said", "the source told AFP"."""
    found = []
    for match in _ACCORDING_TO.finditer(clause):
        found.append(_Span(match.start(), match.end(), match.group().strip()))
    # Where speakers may start, found once (looking back from each verb is quadratic), and the clause's words
    # once a speaker is too long to count each time.
    speaker_starts, word_starts, word_ends = None, None, None
    for verb in _REPORTING.finditer(clause):
        if speaker_starts is None:
            speaker_starts = [boundary.end() for boundary in _SPEAKER_START.finditer(clause)]
        boundary = bisect_right(speaker_starts, verb.start())
        speaker_start = speaker_starts[boundary - 1] if boundary else 0
        # The words between the speaker's start and the verb, as ``str.split`` counts them.
        if verb.start() - speaker_start <= _COUNTED_AT_SIGHT:
            count = len(clause[speaker_start : verb.start()].split())
        else:
            if word_starts is None:
                words = [(word.start(), word.end()) for word in _WORD_RUN.finditer(clause)]
                word_starts, word_ends = [start for start, _ in words], [end for _, end in words]
            count = bisect_left(word_starts, verb.start()) - bisect_right(word_ends, speaker_start)
        if count > _MAX_SPEAKER_WORDS:
            continue
        if count:
            before = clause[speaker_start : verb.start()]
            who = before.strip()
            text, start, end = f"{who} {verb.group()}", speaker_start + len(before) - len(before.lstrip()), verb.end()
            obj = _OBJECT_AFTER.match(clause, verb.end())
            if obj and verb.group().endswith(("told", "tells")):
                text, end = f"{text} {obj['whom']}", obj.end()
            found.append(_Span(start, end, text))
        elif name := _NAME_AFTER.match(clause, verb.end()):
            found.append(_Span(verb.start(), name.end(), f"{verb.group()} {name['who'].strip()}"))
    return sorted(found, key=lambda span: span.start)


@dataclass(frozen=True)
class _Trigger:
    kind: str
    span: _Span
    subordinate: bool
    # "destroyed by IS": followed by its agent, so it may describe the name before it rather than report news.
    by_after: bool


def _triggers(sentence: str) -> list[_Trigger]:
    """Return each trigger word that is not negated, with the kind it reports and what decides whether it counts."""
    found, word_starts = [], None
    for match in _TRIGGER.finditer(sentence):
        if word_starts is None:
            word_starts = [word.start() for word in _WORD.finditer(sentence)]
        # The negation and the subordinate clause end at the trigger and span at most its last few words:
        # searching those, not all the sentence before it, keeps a sentence of many triggers linear.
        before = bisect_left(word_starts, match.start())
        window = word_starts[before - _LOOK_BACK_WORDS] if before >= _LOOK_BACK_WORDS else 0
        if _NEGATION.search(sentence, window, match.start()):
            continue
        kind = TRIGGERS[int(match.lastgroup[1:])][0]
        found.append(
            _Trigger(
                str(kind),
                _Span(match.start(), match.end(), match.group()),
                bool(_SUBORDINATE.search(sentence, window, match.start())),
                sentence[match.end() : match.end() + 4] == " by ",
            )
        )
    return found


class _TriggerIndex:
    """A sentence's triggers, indexed so that the one nearest a name is found in logarithmic time.

    A trigger counts unless it describes the name rather than reports news: one in a subordinate clause
    ("after being restored"), or a participle with its agent right after the name ("busts damaged by IS",
    which is also how any trigger before the name followed by "by" is read). When every trigger describes
    the name, the nearest of them counts. Of two as near, the first in the sentence counts. Only movable
    things come back: "IS returned to Palmyra" is no return of Palmyra.
    """

    def __init__(self, sentence: str, triggers: list[_Trigger]):
        self.sentence = sentence
        self.triggers = triggers
        self.lists: dict[bool, tuple[_Sorted, _Sorted, _Sorted]] = {}

    def _lists(self, movable: bool) -> tuple["_Sorted", "_Sorted", "_Sorted"]:
        if movable not in self.lists:
            allowed = [t for t in self.triggers if movable or t.kind != RestorationKind.RETURN]
            news = [t for t in allowed if not t.subordinate]
            self.lists[movable] = (
                _Sorted([t for t in news if not t.by_after]),  # may stand before the name
                _Sorted(news),  # may stand after it, except a participle with its agent right after it
                _Sorted(allowed),  # when none of the above does
            )
        return self.lists[movable]

    def nearest(self, named: _Span, movable: bool) -> _Trigger | None:
        before, after, every = self._lists(movable)
        found = _closer(before.nearest_before(named), self._first_news_after(after, named), named)
        return found or _closer(every.nearest_before(named), every.first_after(named, 0), named)

    def _first_news_after(self, after: "_Sorted", named: _Span) -> _Trigger | None:
        first = after.first_after(named, 0)
        if first and first.by_after and _ADJOINING.fullmatch(self.sentence, named.end, first.span.start):
            return after.first_after(named, 1)
        return first


class _Sorted:
    """Triggers in sentence order (they never overlap, so their ends are in order too)."""

    def __init__(self, triggers: list[_Trigger]):
        self.triggers = triggers
        self.starts = [t.span.start for t in triggers]
        self.ends = [t.span.end for t in triggers]

    def nearest_before(self, named: _Span) -> _Trigger | None:
        """Return the nearest trigger starting no later than the name ends: the first touching it, else the last."""
        count = bisect_right(self.starts, named.end)
        if not count:
            return None
        touching = bisect_left(self.ends, named.start, 0, count)
        return self.triggers[touching if touching < count else count - 1]

    def first_after(self, named: _Span, skip: int) -> _Trigger | None:
        """Return the trigger ``skip`` places after the first one starting after the name ends."""
        index = bisect_right(self.starts, named.end) + skip
        return self.triggers[index] if index < len(self.triggers) else None


def _distance(a: _Span, b: _Span) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


def _closer(before: _Trigger | None, after: _Trigger | None, named: _Span) -> _Trigger | None:
    if before is None or after is None:
        return before or after
    return before if _distance(before.span, named) <= _distance(after.span, named) else after


def _attribution(clause_attributions: list[list[_Span]], clause: int) -> str:
    """Return the clause's own attribution; a sentence of one clause shares its attribution with every subject."""
    own = clause_attributions[clause]
    if own:
        return own[0].text
    if len(clause_attributions) == 1 and clause_attributions[0]:
        return clause_attributions[0][0].text
    return ""


def _cited(attribution: str, last_cited: str | None) -> str | None:
    """Return the slug of the source an attribution names; "he said" cites whoever was cited last."""
    if not attribution:
        return None
    return last_cited if _PRONOUNS.match(attribution) else cited_slug(attribution)


def _contained(named, ambiguous_sites: list[frozenset[int]]) -> set[Subject]:
    """Return the monuments named beside one of their parts or artefacts: context, not subjects.

    A name that is a part of one of several sites, which a curator is to resolve, makes those sites context too.
    """
    referred = Counter(ref for subject in named for ref in {subject.site, subject.origin} if ref is not None)
    # Ambiguities of one name share their sites' set, whose hash Python keeps: this is one set per name.
    ambiguous_sites = set(ambiguous_sites)
    return {
        subject
        for subject in named
        if subject.model == "monument"
        and (
            referred[subject.id] > (subject.id in (subject.site, subject.origin))
            or any(subject.id in sites for sites in ambiguous_sites)
        )
    }


def _readable(sentence: str) -> tuple[str, list[int]]:
    """Return the sentence without format characters, and where in the sentence those were."""
    removed = [found.start() for found in FORMAT_CHARACTERS.finditer(sentence)]
    return (FORMAT_CHARACTERS.sub("", sentence), removed) if removed else (sentence, removed)


@dataclass(frozen=True)
class Suggestions:
    """What ``suggest_report`` found, and how many sentences naming a subject were too long to quote.

    ``stated`` holds the sentences that state a subject's condition rather than report an event (read so only
    where asked, in surveys and imagery assessments): they are for assessments, and give no event suggestion.
    """

    found: list[Suggested]
    too_long: int
    stated: list["Stated"] = field(default_factory=list)


class SentenceKind(enum.StrEnum):
    """What a sentence naming a subject does: report an event (an incident, a restoration), or state a condition."""

    EVENT = "event"
    STATE = "state"


# "severely damaged", "no visible damage", "remains intact", "only two of the sixteen columns stand": a condition
# as a survey or an imagery assessment states it. Bounded gaps only, so each is linear in the sentence.
_STATE = re.compile(
    r"\b(?:severely|moderately|possibly|partially|partly|heavily|badly|largely|slightly|extensively|totally"
    r"|completely)\s+(?:damaged|destroyed)\b"
    r"|\bno\s+(?:visible\s+|apparent\s+|significant\s+)?damage\b"
    r"|\b(?:remains?|remained|is|are|was|were)\s+(?:still\s+)?(?:intact|standing|undamaged|unharmed"
    r"|in\s+(?:good|fair|poor|very\s+bad)\s+condition)\b"
    r"|\bonly\s+\w+(?:\s+\w+){0,6}\s+(?:still\s+)?(?:stands?|standing|remains?|survives?|survived)\b",
    re.IGNORECASE,
)


def sentence_kind(sentence: str) -> SentenceKind:
    """Return whether a sentence states a condition (a damage grade, what still stands) or reports an event."""
    return SentenceKind.STATE if _STATE.search(sentence) else SentenceKind.EVENT


# The EAMENA condition each way of stating one guesses, first match wins. A damage grade maps as an incident's does
# (register.models.vocabularies.CONDITION_AFTER_GRADE); "only two of the sixteen columns stand" says most is gone
# but not all, so very bad rather than destroyed.
_STATED_CONDITIONS: tuple[tuple[re.Pattern, str], ...] = tuple(
    (re.compile(pattern, re.IGNORECASE), condition)
    for pattern, condition in (
        (r"\b(?:totally|completely)\s+destroyed\b", Condition.DESTROYED),
        (r"\b(?:severely|heavily|badly|extensively)\s+damaged\b", Condition.VERY_BAD),
        (r"\b(?:largely|extensively|partially|partly)\s+destroyed\b", Condition.VERY_BAD),
        (r"\bonly\b", Condition.VERY_BAD),
        (r"\b(?:moderately|partially|partly|largely)\s+damaged\b", Condition.POOR),
        (r"\b(?:slightly|possibly)\s+damaged\b", Condition.FAIR),
        (r"\bin\s+very\s+bad\s+condition\b", Condition.VERY_BAD),
        (r"\bin\s+poor\s+condition\b", Condition.POOR),
        (r"\bin\s+fair\s+condition\b", Condition.FAIR),
        (
            r"\bno\s+(?:visible\s+|apparent\s+|significant\s+)?damage\b|\bintact\b|\bundamaged\b|\bunharmed\b"
            r"|\bstanding\b|\bin\s+good\s+condition\b",
            Condition.GOOD,
        ),
    )
)


def stated_condition(phrase: str) -> str:
    """Return the EAMENA condition a stated phrase ("severely damaged", "no visible damage") guesses; else unknown."""
    return next((condition for pattern, condition in _STATED_CONDITIONS if pattern.search(phrase)), Condition.UNKNOWN)


@dataclass(frozen=True)
class Stated:
    """A sentence that states the condition of the subjects it names: the quote for an assessment.

    ``names`` says how the sentence names each subject, in order; ``phrase`` is the words that state the condition
    and ``condition`` the EAMENA condition they guess; ``date`` the first date the sentence gives, if any.
    """

    quote: str
    position: int
    subjects: tuple[Subject, ...]
    names: tuple[str, ...] = ()
    phrase: str = ""
    condition: str = Condition.UNKNOWN
    date: DateGuess | None = None


def suggest(
    body: str,
    matches: list[Match],
    *,
    published: dt.date | None,
    language: str = "en",
    ambiguities: Iterable[Ambiguity] = (),
) -> list[Suggested]:
    """Return a suggestion for each subject of each sentence that names it and reports an event."""
    return suggest_report(body, matches, published=published, language=language, ambiguities=ambiguities).found


def suggest_report(
    body: str,
    matches: list[Match],
    *,
    published: dt.date | None,
    language: str = "en",
    ambiguities: Iterable[Ambiguity] = (),
    states: bool = False,
) -> Suggestions:
    """Return a suggestion for each subject of each sentence that names it and reports an event.

    With ``states`` (a survey's or an imagery assessment's text), a sentence that states a condition
    (``sentence_kind``) gives no event suggestion: it is returned in ``stated``, for an assessment.

    A sentence longer than ``MAX_SENTENCE`` is no quote a curator can use, and gives none; ``too_long``
    counts those that name a subject. Format characters (zero-width spaces, soft hyphens) are read past, so
    "destr\\u200boyed" is a trigger; quotes and positions are the body's own. A name in ``ambiguities`` is
    left for a curator: "the citadel" there refers to no earlier citadel either.
    """
    matches = sorted(matches, key=lambda match: match.start)
    unresolved = sorted(
        ((ambiguity.start, ambiguity.end, ambiguity.sites) for ambiguity in ambiguities), key=lambda found: found[0]
    )
    suggestions, index, unresolved_index, last_cited, too_long = [], 0, 0, None, 0
    stated: list[Stated] = []
    named_so_far: dict[str, set[Subject]] = {}
    for sentence in sentences(body, language):
        checkpoint()
        named: dict[Subject, _Span] = {}
        while index < len(matches) and matches[index].start < sentence.end:
            match = matches[index]
            index += 1
            if match.start >= sentence.start:
                named.setdefault(
                    match.subject, _Span(match.start - sentence.start, match.end - sentence.start, match.text)
                )
        ambiguous = []
        while unresolved_index < len(unresolved) and unresolved[unresolved_index][0] < sentence.end:
            start, end, sites = unresolved[unresolved_index]
            unresolved_index += 1
            if start >= sentence.start:
                ambiguous.append((start - sentence.start, end - sentence.start, sites))
        if len(sentence.text) > MAX_SENTENCE:
            too_long += bool(named)
            for subject in named:
                if subject.monument_kind:
                    named_so_far.setdefault(subject.monument_kind, set()).add(subject)
            continue

        # Everything below reads the sentence without format characters; a name's span is moved to match.
        text, removed = _readable(sentence.text)
        if removed:
            named = {
                subject: _Span(
                    span.start - bisect_left(removed, span.start), span.end - bisect_left(removed, span.end), span.text
                )
                for subject, span in named.items()
            }
            ambiguous = [
                (start - bisect_left(removed, start), end - bisect_left(removed, end), sites)
                for start, end, sites in ambiguous
            ]
        named_kinds = {subject.monument_kind for subject in named}
        ambiguous_starts = [start for start, _, _ in ambiguous]
        for reference in _REFERENCE.finditer(text):
            before = bisect_left(ambiguous_starts, reference.end()) - 1
            if before >= 0 and ambiguous[before][1] > reference.start():
                continue
            kind = _REFERENCES[reference[1].casefold()]
            earlier = named_so_far.get(kind, set())
            if len(earlier) == 1 and kind not in named_kinds:
                named.setdefault(next(iter(earlier)), _Span(reference.start(), reference.end(), reference.group()))
                named_kinds.add(kind)

        clauses = _clauses(text)
        clause_starts = [start for start, _ in clauses]
        clause_attributions = [attributions(text[start:end]) for start, end in clauses]
        sentence_cited = next(
            (cited for found in clause_attributions for a in found if (cited := _cited(a.text, last_cited))), None
        )

        state = _STATE.search(text) if states and named else None
        stating = state is not None
        stated_subjects = []
        if stating:
            # A site named beside its part is context, as for events: "Palmyra's Tetrapylon" states the Tetrapylon's.
            context = _contained(named, [sites for _, _, sites in ambiguous])
            stated_subjects = [subject for subject in named if subject not in context]
        if stated_subjects:
            dates = find_dates(text, published)
            stated.append(
                Stated(
                    sentence.text,
                    sentence.start,
                    tuple(stated_subjects),
                    names=tuple(named[subject].text for subject in stated_subjects),
                    phrase=state.group(),
                    condition=stated_condition(state.group()),
                    date=dates[0] if dates else None,
                )
            )
        triggers = _triggers(text) if named and not stating else []
        if triggers:
            index_of_triggers = _TriggerIndex(text, triggers)
            dates = find_dates(text, published)
            date_starts = [date.start for date in dates]
            contained = _contained(named, [sites for _, _, sites in ambiguous])
            by_clause: dict[int, tuple] = {}
            for subject in (subject for subject in named if subject not in contained):
                span = named[subject]
                chosen = index_of_triggers.nearest(span, movable=subject.model == "artefact")
                if chosen is None:
                    continue
                clause = bisect_right(clause_starts, span.start) - 1
                if clause < 0 or span.start >= clauses[clause][1]:
                    clause = len(clauses) - 1
                if clause not in by_clause:
                    clause_start, clause_end = clauses[clause]
                    attribution = _attribution(clause_attributions, clause)
                    first = bisect_left(date_starts, clause_start)
                    in_clause = first < len(dates) and dates[first].start < clause_end
                    date = dates[first] if in_clause else (dates[0] if dates else None)
                    by_clause[clause] = (attribution, _cited(attribution, last_cited), date)
                attribution, cited, date = by_clause[clause]
                suggestions.append(
                    Suggested(
                        subject=subject,
                        quote=sentence.text,
                        position=sentence.start,
                        kind=chosen.kind,
                        trigger=chosen.span.text,
                        subject_text=span.text,
                        attribution=attribution[:300],
                        cited=cited,
                        date_phrase=date.phrase if date else "",
                        asserted=date.edtf if date else "",
                        asserted_earliest=date.earliest if date else None,
                        asserted_latest=date.latest if date else None,
                    )
                )
        for subject in named:
            if subject.monument_kind:
                named_so_far.setdefault(subject.monument_kind, set()).add(subject)
        last_cited = sentence_cited or last_cited
    return Suggestions(found=suggestions, too_long=too_long, stated=stated)
