"""Full-text search: PostgreSQL's tsvector over GIN indexes, with SQLite's FTS5 as the embedded fallback.

Neither keeps a copy of the text that could go stale. On PostgreSQL each GIN
index is over an expression of the row's own columns (migration 0009), and the
query repeats that expression exactly so the planner answers it from the index;
an edit by any path (the admin, the API, ``QuerySet.update``, ``loaddata``) is
searchable at once. On SQLite, FTS5 "external content" tables are kept in step
by triggers the same migration creates.

The ``simple`` configuration neither stems nor drops stop words, so Arabic
(تدمر), Latin transliterations (Tadmur) and English match token for token.
Every word of a query must match, each as a prefix ("palm" finds Palmyra). A
query with no letters or digits in it falls back to substring matching, the
only way it can match anything.
"""

import re

from django.contrib.postgres.search import SearchQuery, SearchRank, SearchVector
from django.db import connections
from django.db.models import Q, QuerySet
from django.db.models.expressions import RawSQL

CONFIG = "simple"
WORD = re.compile(r"\w+")
# A longer query is not a search anyone types; the cap keeps a crafted one from building a huge tsquery.
MAX_WORDS = 16

# What each searchable table indexes: (column, weight). Names weigh most (A), bodies least (C).
SEARCHED = {
    "register_monument": (("name", "A"), ("description", "C")),
    "register_alternatename": (("name", "B"),),
    "register_incident": (("summary", "B"), ("perpetrator", "B")),
    "register_article": (("title", "A"), ("body", "C")),
}


def search_words(text: str) -> list[str]:
    """Return the words of a query, lower-cased, as both engines split them."""
    return WORD.findall(text.lower())[:MAX_WORDS]


def search_vector(table: str) -> SearchVector:
    """Return the weighted tsvector expression the table's GIN index is built on."""
    vector = None
    for column, weight in SEARCHED[table]:
        part = SearchVector(column, config=CONFIG, weight=weight)
        vector = part if vector is None else vector + part
    return vector


def search_query(words: list[str]) -> SearchQuery:
    # The words hold only letters, digits and underscores, so quoting them makes a safe raw tsquery.
    return SearchQuery(" & ".join(f"'{word}':*" for word in words), config=CONFIG, search_type="raw")


def fts5_match(words: list[str]) -> str:
    return " ".join(f'"{word}"*' for word in words)


def is_postgresql(queryset: QuerySet) -> bool:
    return connections[queryset.db].vendor == "postgresql"


def text_matching(queryset: QuerySet, text: str, *, substring: Q) -> QuerySet:
    """Return the rows of ``queryset`` whose indexed text matches every word of ``text``.

    ``substring`` is the filter used when the text has no words at all.
    """
    words = search_words(text)
    if not words:
        return queryset.filter(substring)
    table = queryset.model._meta.db_table
    if is_postgresql(queryset):
        # alias(), not annotate(): the vector is a WHERE condition the index answers, never a selected column.
        return queryset.alias(search=search_vector(table)).filter(search=search_query(words))
    # The table name is the model's own; the user's words go in as a parameter.
    matching = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s"  # noqa: S608
    return queryset.filter(pk__in=RawSQL(matching, [fts5_match(words)]))  # noqa: S611


def text_rank(queryset: QuerySet, text: str):
    """Return an expression ranking rows by how well ``text`` matches (higher is better); names weigh most."""
    words = search_words(text) or ["_"]
    table = queryset.model._meta.db_table
    if is_postgresql(queryset):
        return SearchRank(search_vector(table), search_query(words))
    # bm25 is lower for better matches; the column weights follow the PostgreSQL ones (A 1.0, B 0.4, C 0.2).
    weights = ", ".join({"A": "1.0", "B": "0.4", "C": "0.2"}[weight] for _column, weight in SEARCHED[table])
    rank = f"-(SELECT bm25({table}_fts, {weights}) FROM {table}_fts WHERE {table}_fts MATCH %s AND rowid = {table}.id)"  # noqa: S608
    return RawSQL(rank, [fts5_match(words)])  # noqa: S611
