"""Page furniture: what a web page prints around a story and a copy-paste carries into it.

Furniture is recognised line by line, never inside a sentence, so the body keeps
every line of the story verbatim and quotes taken from it stand in the raw text too.
"""

import re
from dataclasses import dataclass

from register.ingest.budget import checkpoint
from register.ingest.sources import agency_names

_AGENCIES = "|".join(re.escape(name) for name in agency_names())

# "(AFP/File)", "(REUTERS/Omar Sanadiki)", "AFP Photo / Joseph Eid": who took the photograph. Blanks are taken
# possessively (``\s*+``): handing them back one by one to the name after them is quadratic in a run of blanks.
_PHOTO_CREDIT = re.compile(
    rf"^\(?(?:{_AGENCIES}|Getty Images|EPA|Anadolu|SANA)(?:\s++(?:Photo|PHOTO))?\s*+/\s*+[^()/]{{1,80}}\)?$"
)
# "Pulse News Agency International By AFP": the outlet that carried the agency's copy. The outlet ends on a
# character that is not a blank, so each run of blanks is scanned from its start only.
_CREDIT_LINE = re.compile(rf"^(?P<outlet>[A-Z][\w&.,'’ -]{{0,99}}?[\w&.,'’-])\s++[Bb]y\s++(?P<agency>{_AGENCIES})\.?$")
# Teasers for other stories and invitations to comment; the outlet is named where the wording is its own.
_TRAILERS = (
    (re.compile(r"^(?:SEE ALSO|READ MORE|READ ALSO|ALSO READ|RELATED|MORE|WATCH)\s*:"), ""),
    (re.compile(r"^(?:See also|Read more|Read also|Also read|Related)\s*:"), ""),
    (re.compile(r"^NOW WATCH\s*:"), "Business Insider"),
    (re.compile(r"^Join the conversation about this story\b"), "Business Insider"),
)
# Words a player or share widget leaves on a line of their own.
_STRAY = frozenset(["play", "advertisement", "share", "share this article", "tweet", "email", "video", "image"])
# A caption carries its player's label at the end: "... pictured on March 31, 2016 play". Only a run's first blank
# starts a match, so a long run of blanks is scanned once, not once from each of its blanks.
_PLAYER_LABEL = re.compile(r"(?<!\s)\s++play$")
# A story's paragraph ends like a sentence; a caption or a credit repeated does not.
_SENTENCE_END = (".", '"', "'", "?", "!", "”", "’", ")", ":")


@dataclass(frozen=True)
class Removed:
    line: str
    reason: str


@dataclass(frozen=True)
class Credit:
    outlet: str
    agency: str


@dataclass(frozen=True)
class Hint:
    """An outlet a line's wording suggests, never states: "Business Insider" from "NOW WATCH:"."""

    outlet: str
    clue: str


@dataclass(frozen=True)
class Cleaned:
    body: str
    removed: tuple[Removed, ...]
    credits: tuple[Credit, ...]
    outlet_hints: tuple[Hint, ...]


def _classify(line: str) -> tuple[str, Credit | None, Hint | None]:
    """Return why a line is furniture ("" when it is story), a credit it gives, and an outlet it hints at."""
    if line.casefold() in _STRAY:
        return "stray word", None, None
    if _PHOTO_CREDIT.match(line):
        return "photo credit", None, None
    if match := _CREDIT_LINE.match(line):
        return "credit line", Credit(match["outlet"].strip(), match["agency"]), None
    for pattern, outlet in _TRAILERS:
        if match := pattern.match(line):
            return "trailer", None, Hint(outlet, match.group()) if outlet else None
    if _PLAYER_LABEL.search(line):
        return "caption", None, None
    return "", None, None


def clean(text: str) -> Cleaned:
    """Return the story without its page furniture, and what was removed and why."""
    lines = [line.strip() for line in text.split("\n")]
    reasons = [""] * len(lines)
    credits, hints = [], []
    for index, line in enumerate(lines):
        checkpoint()
        if not line:
            continue
        reason, credit, hint = _classify(line)
        reasons[index] = reason
        if credit:
            credits.append(credit)
        if hint:
            hints.append(hint)

    # A caption is printed again without its player label: both copies go.
    captions = {_PLAYER_LABEL.sub("", line) for line, reason in zip(lines, reasons, strict=True) if reason == "caption"}
    # A paragraph that does not end like a sentence and is printed twice running is a caption or credit.
    previous = None
    for index, line in enumerate(lines):
        if not line or (reasons[index] and reasons[index] != "caption"):
            continue
        if line in captions and not reasons[index]:
            reasons[index] = "caption"
        elif previous is not None and line == lines[previous] and not line.endswith(_SENTENCE_END):
            reasons[index] = reasons[previous] = "repeated caption"
        previous = index

    kept = [line if not reason else None for line, reason in zip(lines, reasons, strict=True)]
    body = "\n".join(line for line in kept if line is not None)
    body = re.sub(r"\n{3,}", "\n\n", body).strip()
    removed = tuple(Removed(line, reason) for line, reason in zip(lines, reasons, strict=True) if reason)
    # Each outlet once, by its first clue: the one a curator is told of.
    first_hints: dict[str, Hint] = {}
    for hint in hints:
        first_hints.setdefault(hint.outlet, hint)
    return Cleaned(body=body, removed=removed, credits=tuple(credits), outlet_hints=tuple(first_hints.values()))
