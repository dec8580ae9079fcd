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

from django.contrib.postgres.search import SearchVectorField
from django.db import connections
from django.db.models import BooleanField, F, Func, Q, QuerySet
from django.db.models.expressions import RawSQL

CONFIG = "simple"
WORD = re.compile(r"\w+")
# A longer query is not a search anyone types; the cap keeps a crafted one from building a huge tsquery.
MAX_WORDS = 16

# What each searchable table indexes: (column, weight). Names weigh most (A), bodies least (C). A curator's text is
# indexed in both its languages (register.translation), so an Arabic description is found as an English one is.
SEARCHED = {
    "register_monument": (("name", "A"), ("description_en", "C"), ("description_ar", "C")),
    "register_alternatename": (("name", "B"),),
    "register_incident": (("summary_en", "B"), ("summary_ar", "B"), ("perpetrator", "B")),
    "register_article": (("title", "A"), ("body", "C")),
}


def search_words(text: str) -> list[str]:
    """Return the words of a query, lower-cased, as both engines split them."""
    return WORD.findall(text.lower())[:MAX_WORDS]


class IndexedVector(Func):
    """The weighted tsvector a table's GIN index is built on (migration 0009), column by column.

    Written out as the index's own SQL rather than built from SearchVector: the planner uses the index only
    for an identical expression, and resolving SearchVector's tree (a Coalesce, a Cast and three Values per
    column) cost the search page more Python time than its database time.
    """

    output_field = SearchVectorField()

    def __init__(self, table: str):
        self.weights = [weight for _column, weight in SEARCHED[table]]
        super().__init__(*(F(column) for column, _weight in SEARCHED[table]))

    def as_sql(self, compiler, connection, **extra_context):
        parts, params = [], []
        for expression, weight in zip(self.source_expressions, self.weights, strict=True):
            sql, column_params = compiler.compile(expression)
            parts.append(f"setweight(to_tsvector('{CONFIG}'::regconfig, COALESCE({sql}, '')), '{weight}')")
            params.extend(column_params)
        return f"({' || '.join(parts)})", params


class NameVector(Func):
    """The unweighted tsvector of one column, as the search configuration parses it."""

    template = f"to_tsvector('{CONFIG}'::regconfig, COALESCE(%(expressions)s, ''))"
    output_field = SearchVectorField()

    def __init__(self, column: str):
        super().__init__(F(column))


def tsquery(words: list[str]) -> str:
    """Return the raw tsquery that needs every word, each as a prefix."""
    # The words hold only letters, digits and underscores, so quoting them makes a safe raw tsquery.
    return " & ".join(f"'{word}':*" for word in words)


class Matches(Func):
    """True where the vector matches the tsquery (PostgreSQL's ``@@``)."""

    template = f"%(expressions)s @@ to_tsquery('{CONFIG}'::regconfig, %%s)"
    output_field = BooleanField()

    def __init__(self, vector, query: str):
        self.query = query
        super().__init__(vector)

    def as_sql(self, compiler, connection, **extra_context):
        sql, params = super().as_sql(compiler, connection, **extra_context)
        return sql, (*params, self.query)


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
        return queryset.filter(Matches(IndexedVector(table), tsquery(words)))
    # The table name is the model's own; the user's words go in as a parameter.
    matching = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s"  # noqa: S608
    return queryset.filter(pk__in=RawSQL(matching, [fts5_match(words)]))  # noqa: S611


def name_matches(queryset: QuerySet, text: str, *, substring: Q):
    """Return a condition, true where the row's name (the table's first column) matches every word of ``text``.

    On PostgreSQL the monument table's GIN index ``monument_name_search`` (migration 0011) answers it for
    monuments; elsewhere it ranks or narrows rows another condition found. ``substring`` is the condition used
    when the text has no words at all.
    """
    words = search_words(text)
    if not words:
        return substring
    table = queryset.model._meta.db_table
    name = SEARCHED[table][0][0]
    if is_postgresql(queryset):
        # The name alone: for monuments the GIN index monument_name_search answers it; for rows already found
        # it is parsed row by row, where the whole text with the description would cost most.
        return Matches(NameVector(name), tsquery(words))
    # An FTS5 column filter on each word: every word in the name column.
    in_name = " ".join(f"{name} : {phrase}" for phrase in fts5_match(words).split(" "))
    matching = f"SELECT rowid FROM {table}_fts WHERE {table}_fts MATCH %s"  # noqa: S608
    return Q(pk__in=RawSQL(matching, [in_name]))  # noqa: S611


def first_of_each(branches: list[QuerySet], first: int) -> Q:
    """Return a condition true for the first ``first`` rows of each branch, in the branch's own order.

    A word thousands of rows share must not cost a join or a sort of thousands of rows: each branch is a
    condition one index can answer alone, ordered and limited on its own, so PostgreSQL can walk an ordered
    index and stop after ``first`` matches when the word is common, or read the few matches from a GIN index
    and sort them when it is rare. The caller orders the union again and keeps its own first rows: one query.
    """
    firsts = [branch.values("pk")[:first] for branch in branches]
    if connections[branches[0].db].features.supports_slicing_ordering_in_compound:
        # One IN over a UNION of the branches: PostgreSQL reads each branch once and joins the few ids it keeps.
        return Q(pk__in=firsts[0].union(*firsts[1:]))
    # SQLite cannot order inside a UNION: one IN per branch instead, each with its own ORDER BY and LIMIT.
    condition = Q()
    for ids in firsts:
        condition |= Q(pk__in=ids)
    return condition
