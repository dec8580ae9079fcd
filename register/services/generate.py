"""A realistic, reproducible register of any size, for benchmarks and load tests.

Sites with parts, alternate names in Arabic, Latin transliteration and French,
articles with bodies, incidents with EDTF dates and the earliest and latest day
each allows, quotes that stand verbatim at their position in their article, and
restorations. Everything comes from one ``random.Random(seed)``, so the same
seed gives the same register. Rows go in with ``bulk_create`` in batches (no
per-row save, so no edit history is written: generated data is nobody's edit),
and the stored conditions are derived at the end by ``conditions_refresh``.
"""

import calendar
import datetime as dt
import random
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction

from register.models import AlternateName, Article, Evidence, Incident, Monument, Restoration, Source, fingerprint
from register.models.vocabularies import (
    Certainty,
    Condition,
    DamageGrade,
    EvidenceStrength,
    IncidentKind,
    MonumentKind,
    RestorationKind,
    SourceKind,
    Stance,
)
from register.services.condition import conditions_refresh

PARTS_PER_SITE = 7
QUOTES_PER_ARTICLE = 20
RESTORATION_EVERY = 20  # one monument in twenty has been restored

SOURCES = (
    ("afp", "Agence France-Presse", "AFP", SourceKind.NEWS_AGENCY),
    ("reuters", "Reuters", "Reuters", SourceKind.NEWS_AGENCY),
    ("sana", "Syrian Arab News Agency", "SANA", SourceKind.STATE_MEDIA),
    ("sohr", "Syrian Observatory for Human Rights", "SOHR", SourceKind.MONITOR),
    ("dgam", "Directorate-General of Antiquities and Museums", "DGAM", SourceKind.GOVERNMENT),
    ("unesco", "UNESCO", "UNESCO", SourceKind.INTERGOVERNMENTAL),
    ("asor", "ASOR Cultural Heritage Initiatives", "ASOR", SourceKind.RESEARCH),
    ("iscr", "Istituto Superiore per la Conservazione ed il Restauro", "ISCR", SourceKind.RESEARCH),
)
PUBLISHERS = ("afp", "reuters", "sana", "asor")

SYLLABLES = (
    "tad",
    "mur",
    "pal",
    "my",
    "ra",
    "ha",
    "lab",
    "bos",
    "ra",
    "da",
    "ma",
    "qas",
    "ar",
    "dur",
    "eu",
    "ro",
    "pos",
)
ARABIC = ("تد", "مر", "حل", "ب", "بص", "رى", "دم", "شق", "قص", "ر", "عي", "ن", "تل", "سو", "ق")
SITE_WORDS = ("Tell", "Qasr", "Khirbet", "Deir", "Qalaat", "Ain")
PART_NAMES = (
    (MonumentKind.TEMPLE, "Temple of {}", "Temple de {}"),
    (MonumentKind.THEATRE, "Theatre of {}", "Théâtre de {}"),
    (MonumentKind.ARCH, "Arch of {}", "Arc de {}"),
    (MonumentKind.TETRAPYLON, "Tetrapylon of {}", "Tétrapyle de {}"),
    (MonumentKind.TOMB, "Tower tomb of {}", "Tour funéraire de {}"),
    (MonumentKind.FORTIFICATION, "Citadel of {}", "Citadelle de {}"),
    (MonumentKind.MUSEUM, "Museum of {}", "Musée de {}"),
)
INCIDENTS = (
    (IncidentKind.DESTROYED, DamageGrade.DESTROYED, "blew up"),
    (IncidentKind.DAMAGED, DamageGrade.SEVERE, "severely damaged"),
    (IncidentKind.DAMAGED, DamageGrade.MODERATE, "damaged"),
    (IncidentKind.DAMAGED, DamageGrade.POSSIBLE, "may have damaged"),
    (IncidentKind.LOOTED, "", "looted"),
    (IncidentKind.MILITARY_USE, "", "used as a military position"),
)
PERPETRATORS = ("Islamic State", "government forces", "opposition fighters", "unknown", "looters")


@dataclass(frozen=True)
class GenerateSummary:
    monuments: int
    names: int
    articles: int
    incidents: int
    restorations: int
    evidence: int


def edtf_for(rng: random.Random) -> tuple[str, dt.date, dt.date]:
    """Return a random EDTF date of a shape reports give, with its earliest and latest day."""
    start = dt.date(2011, 3, 15) + dt.timedelta(days=rng.randrange(0, 10 * 365))
    shape = rng.randrange(4)
    if shape == 0:  # a month: "in December"
        last = calendar.monthrange(start.year, start.month)[1]
        return f"{start:%Y-%m}", start.replace(day=1), start.replace(day=last)
    if shape == 1:  # an approximate day: "Wednesday", as the report dates it
        return f"{start:%Y-%m-%d}~", start, start
    if shape == 2:  # an interval: "between 26 December and 10 January"
        end = start + dt.timedelta(days=rng.randrange(1, 30))
        return f"{start:%Y-%m-%d}/{end:%Y-%m-%d}", start, end
    return f"{start:%Y-%m-%d}", start, start


def _name(rng: random.Random, parts: tuple[str, ...], count: int) -> str:
    return "".join(rng.choice(parts) for _ in range(count))


def _sources() -> dict[str, Source]:
    found = {}
    for slug, name, short, kind in SOURCES:
        found[slug], _created = Source.objects.get_or_create(
            slug=slug, defaults={"name": name, "short_name": short, "kind": kind}
        )
    return found


@transaction.atomic
def register_generate(
    *,
    monuments: int,
    seed: int = 1,
    incidents_per_monument: int = 4,
    quotes_per_article: int = QUOTES_PER_ARTICLE,
    batch_size: int = 5000,
    progress: Callable[[int], None] | None = None,
) -> GenerateSummary:
    """Add ``monuments`` generated monuments with their names, incidents, restorations, articles and quotes.

    ``progress`` is called with the number of monuments done after each batch.
    """
    rng = random.Random(seed)
    sources = _sources()
    totals = dict.fromkeys(("monuments", "names", "articles", "incidents", "restorations", "evidence"), 0)
    site_size = PARTS_PER_SITE + 1
    # Whole sites per batch, so a part is always written with its site.
    per_batch = max(site_size, batch_size // site_size * site_size)
    # Numbers continue after the monuments already there, so slugs stay unique in a register that has data.
    offset = Monument.objects.count()
    for start in range(offset, offset + monuments, per_batch):
        count = min(per_batch, offset + monuments - start)
        created = _batch(rng, sources, start, count, incidents_per_monument, quotes_per_article, batch_size)
        for key, value in created.items():
            totals[key] += value
        if progress is not None:
            progress(count)
    conditions_refresh(batch_size=batch_size)
    return GenerateSummary(**totals)


def _batch(rng, sources, start, count, incidents_per_monument, quotes_per_article, batch_size) -> dict[str, int]:
    site_size = PARTS_PER_SITE + 1
    sites, parts, names = [], [], []
    for number in range(start, start + count):
        place = _name(rng, SYLLABLES, 3).capitalize()
        arabic = _name(rng, ARABIC, 3)
        latitude = Decimal(rng.uniform(29.0, 37.0)).quantize(Decimal("0.0000001"))
        longitude = Decimal(rng.uniform(35.0, 48.0)).quantize(Decimal("0.0000001"))
        baseline = rng.choice((Condition.GOOD, Condition.FAIR, Condition.UNKNOWN))
        fields = {"latitude": latitude, "longitude": longitude, "condition_baseline": baseline, "version": 1}
        if (number - start) % site_size == 0:
            word = rng.choice(SITE_WORDS)
            monument = Monument(
                name=f"{word} {place}",
                slug=f"{word}-{place}-{number}".lower(),
                kind=MonumentKind.SITE,
                built=f"{rng.randrange(1, 30)}th century BCE",
                description=f"An ancient settlement at {word} {place}, inhabited for {rng.randrange(2, 40)} centuries.",
                **fields,
            )
            sites.append(monument)
            names.append((monument, arabic, "ar"))
            names.append((monument, place, "ar-Latn"))
        else:
            kind, english, french = PART_NAMES[(number - start) % site_size - 1]
            monument = Monument(
                name=english.format(place),
                slug=f"{english.format(place)}-{number}".lower().replace(" ", "-"),
                kind=kind,
                description=f"{english.format(place)}, part of the site of {sites[-1].name}.",
                **fields,
            )
            monument.site = sites[-1]
            parts.append(monument)
            names.append((monument, french.format(place), "fr"))
            names.append((monument, arabic, "ar"))
    Monument.objects.bulk_create(sites, batch_size=batch_size)
    for part in parts:
        part.part_of = part.site
    Monument.objects.bulk_create(parts, batch_size=batch_size)
    AlternateName.objects.bulk_create(
        [
            AlternateName(monument=monument, name=name, language=language, version=1)
            for monument, name, language in names
        ],
        batch_size=batch_size,
    )

    # Each event is told in one sentence of an article; the sentence is its quote.
    events = []
    for monument in [*sites, *parts]:
        # Between none and twice the mean, so the mean is incidents_per_monument.
        for number in range(rng.randrange(incidents_per_monument * 2 + 1)):
            events.append(_incident(rng, monument, number))
        if rng.randrange(RESTORATION_EVERY) == 0:
            events.append(_restoration(rng, monument, sources["iscr"]))
    rng.shuffle(events)
    articles, quotes = [], []
    for first in range(0, len(events), quotes_per_article):
        told = events[first : first + quotes_per_article]
        publisher = sources[rng.choice(PUBLISHERS)]
        sentences, positions, position = [], [], 0
        for _event, sentence in told:
            positions.append(position)
            sentences.append(sentence)
            position += len(sentence) + 1
        body = " ".join(sentences)
        published = max(_told_on(event) for event, _sentence in told)
        raw = f"{publisher.short_name}, {published:%d %B %Y}\n\n{body}\n"
        article = Article(
            title=f"Damage reported at {told[0][0].subject.name} and {len(told) - 1} other sites",
            publisher=publisher,
            published=published,
            raw_text=raw,
            body=body,
            sha256=fingerprint(raw),
            language="en",
            version=1,
        )
        articles.append(article)
        for (event, sentence), at in zip(told, positions, strict=True):
            quotes.append((article, event, sentence, at))
    incidents = [event for event, _s in events if isinstance(event, Incident)]
    restorations = [event for event, _s in events if isinstance(event, Restoration)]
    Incident.objects.bulk_create(incidents, batch_size=batch_size)
    Restoration.objects.bulk_create(restorations, batch_size=batch_size)
    Article.objects.bulk_create(articles, batch_size=batch_size)
    cited = [sources["sohr"], sources["dgam"], None, None]
    evidence = [
        Evidence(
            article=article,
            stance=Stance.SUPPORTS,
            quote=sentence,
            position=at,
            cited_source=rng.choice(cited),
            version=1,
            **({"incident": event} if isinstance(event, Incident) else {"restoration": event}),
        )
        for article, event, sentence, at in quotes
    ]
    Evidence.objects.bulk_create(evidence, batch_size=batch_size)
    return {
        "monuments": len(sites) + len(parts),
        "names": len(names),
        "articles": len(articles),
        "incidents": len(incidents),
        "restorations": len(restorations),
        "evidence": len(evidence),
    }


def _told_on(event: Incident | Restoration) -> dt.date:
    """Return the first day a report of the event can be dated: after it was reported, or the work was done."""
    return event.reported_latest if isinstance(event, Incident) else event.finished_latest


def _incident(rng: random.Random, monument: Monument, number: int) -> tuple[Incident, str]:
    kind, grade, verb = rng.choice(INCIDENTS)
    occurred, earliest, latest = edtf_for(rng)
    reported = latest + dt.timedelta(days=rng.randrange(0, 20))
    perpetrator = rng.choice(PERPETRATORS)
    summary = f"{perpetrator.capitalize()} {verb} the {monument.name}."
    incident = Incident(
        slug=f"{monument.slug}-{number}",
        monument=monument,
        kind=kind,
        grade=grade,
        occurred=occurred,
        occurred_earliest=earliest,
        occurred_latest=latest,
        reported=f"{reported:%Y-%m-%d}",
        reported_earliest=reported,
        reported_latest=reported,
        perpetrator=perpetrator,
        summary=summary,
        strength=rng.choice(EvidenceStrength.values),
        certainty=rng.choice((Certainty.MEDIUM, Certainty.HIGH, Certainty.LOW)),
        version=1,
    )
    sentence = f"According to witnesses, {perpetrator} {verb} the {monument.name} ({occurred})."
    return incident, sentence


def _restoration(rng: random.Random, monument: Monument, iscr: Source) -> tuple[Restoration, str]:
    finished, earliest, latest = edtf_for(rng)
    restoration = Restoration(
        slug=f"{monument.slug}-restored",
        monument=monument,
        kind=RestorationKind.RESTORATION,
        institution=iscr,
        finished=finished,
        finished_earliest=earliest,
        finished_latest=latest,
        summary=f"The {monument.name} was restored.",
        condition_after=Condition.FAIR,
        version=1,
    )
    sentence = f"Restorers finished work on the {monument.name} ({finished})."
    return restoration, sentence
