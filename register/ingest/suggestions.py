"""Sentences that name a monument or artefact and report what happened to it, as suggested evidence.

A suggestion is a guess for a curator to accept or reject: the sentence as the
quote, the subject it names, the kind of event its nearest trigger word reports
("destroyed", "brought back"), whom it attributes the report to ("a monitor
said"), and the date it gives, resolved against the publication date.
"""

import datetime as dt
import re
from collections.abc import Iterator
from dataclasses import dataclass

import sentencex

from register.ingest.dates import find_dates
from register.ingest.mentions import Match, Subject
from register.ingest.sources import cited_slug
from register.models.vocabularies import IncidentKind, MonumentKind, RestorationKind

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
    for verb in _REPORTING.finditer(clause):
        before = clause[: verb.start()]
        starts = [boundary.end() for boundary in _SPEAKER_START.finditer(before)]
        who = before[starts[-1] if starts else 0 :].strip()
        if who and len(who.split()) <= _MAX_SPEAKER_WORDS:
            text, start, end = f"{who} {verb.group()}", before.rfind(who), verb.end()
            obj = _OBJECT_AFTER.match(clause, verb.end())
            if obj and verb.group().endswith(("told", "tells")):
                text, end = f"{text} {obj['whom']}", obj.end()
            found.append(_Span(start, end, text))
        elif not who and (name := _NAME_AFTER.match(clause, verb.end())):
            found.append(_Span(verb.start(), name.end(), f"{verb.group()} {name['who'].strip()}"))
    return sorted(found, key=lambda span: span.start)


def _triggers(sentence: str) -> list[tuple[str, _Span, bool]]:
    """Return the kind each trigger word reports, its span, and whether it stands in a subordinate clause."""
    found = []
    for match in _TRIGGER.finditer(sentence):
        before = sentence[: match.start()]
        if _NEGATION.search(before):
            continue
        kind = TRIGGERS[int(match.lastgroup[1:])][0]
        found.append((str(kind), _Span(match.start(), match.end(), match.group()), bool(_SUBORDINATE.search(before))))
    return found


def _distance(a: _Span, b: _Span) -> int:
    return max(a.start - b.end, b.start - a.end, 0)


def _choose_trigger(subject: Subject, named: _Span, triggers, sentence: str):
    candidates = [
        (kind, span, subordinate)
        for kind, span, subordinate in triggers
        # Only movable things come back; "IS returned to Palmyra" is no return of Palmyra.
        if subject.model == "artefact" or kind != RestorationKind.RETURN
    ]
    described = []
    for kind, span, subordinate in candidates:
        # "busts damaged by IS", "the lion, smashed by IS,": a participle right after the name describes it.
        between = sentence[named.end : span.start]
        if subordinate or (between.strip() in ("", ",") and sentence[span.end : span.end + 4] == " by "):
            described.append((kind, span))
    main = [(kind, span) for kind, span, _ in candidates if (kind, span) not in described] or described
    if not main:
        return None
    return min(main, key=lambda item: _distance(item[1], named))


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


def _contains(container: Subject, other: Subject) -> bool:
    return container.model == "monument" and other != container and container.id in (other.site, other.origin)


def suggest(body: str, matches: list[Match], *, published: dt.date | None, language: str = "en") -> list[Suggested]:
    """Return a suggestion for each subject of each sentence that names it and reports an event."""
    matches = sorted(matches, key=lambda match: match.start)
    suggestions, index, last_cited = [], 0, None
    named_so_far: dict[str, set[Subject]] = {}
    for sentence in sentences(body, language):
        named: dict[Subject, _Span] = {}
        while index < len(matches) and matches[index].start < sentence.end:
            match = matches[index]
            index += 1
            if match.start >= sentence.start:
                named.setdefault(
                    match.subject, _Span(match.start - sentence.start, match.end - sentence.start, match.text)
                )
        for reference in _REFERENCE.finditer(sentence.text):
            kind = _REFERENCES[reference[1].casefold()]
            earlier = named_so_far.get(kind, set())
            if len(earlier) == 1 and not any(subject.monument_kind == kind for subject in named):
                named.setdefault(next(iter(earlier)), _Span(reference.start(), reference.end(), reference.group()))

        clauses = _clauses(sentence.text)
        clause_attributions = [attributions(sentence.text[start:end]) for start, end in clauses]
        sentence_cited = next(
            (cited for found in clause_attributions for a in found if (cited := _cited(a.text, last_cited))), None
        )

        triggers = _triggers(sentence.text) if named else []
        if triggers:
            dates = find_dates(sentence.text, published)
            subjects = [s for s in named if not any(_contains(s, other) for other in named)]
            for subject in subjects:
                span = named[subject]
                chosen = _choose_trigger(subject, span, triggers, sentence.text)
                if chosen is None:
                    continue
                kind, trigger = chosen
                clause = next(
                    (i for i, (start, end) in enumerate(clauses) if start <= span.start < end), len(clauses) - 1
                )
                clause_start, clause_end = clauses[clause]
                attribution = _attribution(clause_attributions, clause)
                cited = _cited(attribution, last_cited)
                in_clause = [d for d in dates if clause_start <= d.start < clause_end]
                date = (in_clause or dates or [None])[0]
                suggestions.append(
                    Suggested(
                        subject=subject,
                        quote=sentence.text,
                        position=sentence.start,
                        kind=kind,
                        trigger=trigger.text,
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
    return suggestions
