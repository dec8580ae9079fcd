"""A query's SQL is compiled once per shape and reused, with each request's own values.

Django compiles every query afresh: it walks the joins of ``select_related``,
the deferred columns, the ordering (an article's Meta ordering for a page's
quotes) and the filters, on every request. For a page of incidents that was 4
of the request's 30 ms, for two queries whose SQL differs between requests only
in the values it is given.

Here the compiler keeps the SQL it made for a query's shape: everything the
query holds but its filters (its joins, columns, ordering, slice, annotations),
plus the SQL of its WHERE clause. Only the WHERE clause is compiled each time,
for its SQL and its values; when both the rest and that SQL are the same as
before, the SQL made before is the one Django would make now, and its values
are this query's. A query with values outside its WHERE clause (a rank in the
SELECT list, say) is compiled every time, as is anything but a plain SELECT.
``tests/test_statements.py`` compares the reused SQL with Django's own.
"""

from django.core.exceptions import EmptyResultSet, FullResultSet
from django.db import connections, models
from django.db.models.sql import Query

# What a compiler leaves behind that reading the rows needs (ModelIterable and results_iter read them).
COMPILER_STATE = ("select", "klass_info", "annotation_col_map", "col_count", "has_extra_select")

# Bookkeeping a query keeps while filters are added or columns listed, which the SQL does not depend on.
TRANSIENT = frozenset({"where", "used_aliases", "_lookup_joins", "filter_is_sticky", "_annotation_select_cache"})

# Shapes kept per process. The API and pages make a few dozen; a query built from fresh objects each time (a
# subquery in an annotation) never matches, so the store is emptied when full rather than grown without end.
MOST_SHAPES = 1024


class Unhashable(Exception):
    pass


def _frozen(value):
    """Return ``value`` as a hashable equal to another only where the two would compile alike."""
    if isinstance(value, dict):
        return (dict, tuple((key, _frozen(item)) for key, item in value.items()))
    if isinstance(value, (list, tuple, set, frozenset)):
        kind = frozenset if isinstance(value, (set, frozenset)) else tuple
        held = value if type(value) is kind else kind(value)
        try:
            # Most are hashable as they are (a frozenset keeps its hash): no need to look inside.
            hash(held)
        except TypeError:
            return (kind, kind(_frozen(item) for item in value))
        return (kind, held)
    try:
        hash(value)
    except TypeError:
        raise Unhashable from None
    return value


def _around(params, where_params) -> tuple[tuple, tuple] | None:
    """Return the values before and after the WHERE clause's in ``params``; None if they cannot be told apart.

    Django adds the WHERE clause's values in one run, after the SELECT list's and the FROM clause's and before
    the ORDER BY's. Those others come from the query's shape (a constant in an annotation, say), so they are the
    same for every query of the shape. Where the run could stand in two places, nothing is kept.
    """
    params, where_params = list(params), list(where_params)
    size = len(where_params)
    if not size:
        return tuple(params), ()
    starts = [start for start in range(len(params) - size + 1) if params[start : start + size] == where_params]
    if len(starts) != 1:
        return None
    return tuple(params[: starts[0]]), tuple(params[starts[0] + size :])


class ReusingCompiler:
    """Mixed into a backend's SQLCompiler: ``as_sql`` returns the SQL made before for the same shape."""

    # (shape, WHERE SQL) -> (SQL, values before, values after, compiler state); each backend's class has its own.
    statements: dict

    def as_sql(self, with_limits=True, with_col_aliases=False):
        shape = self._shape(with_limits, with_col_aliases)
        if shape is None:
            return super().as_sql(with_limits, with_col_aliases)
        try:
            where_sql, where_params = self.compile(self.query.where)
        except FullResultSet:
            where_sql, where_params = "", []
        except EmptyResultSet:
            # Django decides what an impossible condition gives (nothing, or a query that returns nothing).
            return super().as_sql(with_limits, with_col_aliases)
        key = (shape, where_sql)
        made = self.statements.get(key)
        if made is not None:
            sql, before, after, state = made
            for name, value in zip(COMPILER_STATE, state, strict=True):
                setattr(self, name, value)
            return sql, (*before, *where_params, *after)
        sql, params = super().as_sql(with_limits, with_col_aliases)
        split = _around(params, where_params)
        if split is not None:
            if len(self.statements) >= MOST_SHAPES:
                self.statements.clear()
            self.statements[key] = (sql, *split, tuple(getattr(self, name) for name in COMPILER_STATE))
        return sql, params

    def _shape(self, with_limits, with_col_aliases):
        """Return what, beside its WHERE clause, the query's SQL depends on; None if it cannot be told."""
        query = self.query
        if query.combinator or query.where.contains_aggregate or query.where.contains_over_clause:
            # The WHERE clause is then split into HAVING or QUALIFY parts, or the SQL is made of other queries.
            return None
        try:
            held = tuple((name, _frozen(value)) for name, value in query.__dict__.items() if name not in TRANSIENT)
        except Unhashable:
            return None
        connection = self.connection
        return (type(self), connection.alias, connection.vendor, self.elide_empty, with_limits, with_col_aliases, held)


_compilers: dict[type, type] = {}


def _reusing(compiler_class: type) -> type:
    reusing = _compilers.get(compiler_class)
    if reusing is None:
        reusing = _compilers[compiler_class] = type(
            f"Reusing{compiler_class.__name__}", (ReusingCompiler, compiler_class), {"statements": {}}
        )
    return reusing


class ReusedSQLQuery(Query):
    """A Query whose plain SELECTs are compiled by a ReusingCompiler; updates, deletes and the rest as Django's."""

    def get_compiler(self, using=None, connection=None, elide_empty=True):
        if self.compiler != "SQLCompiler" or (using is None and connection is None):
            return super().get_compiler(using, connection, elide_empty)
        if using:
            connection = connections[using]
        return _reusing(connection.ops.compiler(self.compiler))(self, connection, using, elide_empty)


class QuerySet(models.QuerySet):
    """The base of the register's querysets: their SQL is compiled once per shape (see the module's docstring)."""

    def __init__(self, model=None, query=None, using=None, hints=None):
        super().__init__(model, query if query is not None else ReusedSQLQuery(model), using, hints)
