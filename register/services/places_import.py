"""Places files (CSV or GeoJSON) into the register: each file checked whole, then written in one transaction.

A row is the register's monument with the row's Wikidata id, else the one with its slug, else a new one. A file
with any fault imports nothing, and every fault is reported with its line or feature and column; a file without
one creates and updates its monuments and their alternate names in bulk, each change in the history with the
file's name as the reason. An empty cell leaves the stored value as it is, so an import adds and corrects but never
erases, and importing a file again changes nothing. A monument keeps its slug (its address) when a row finds it by
its Wikidata id.

Each file is one call of ``places_import``; whatever goes wrong with one, even a bug, is that file's ``failed``
result with the reason, logged, and the next file still imports.
"""

import enum
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from simple_history.utils import bulk_create_with_history, bulk_update_with_history

from register.ingest.files import display_name
from register.ingest.places import (
    MAX_PLACES_BYTES,
    Location,
    PlaceError,
    PlaceRow,
    PlacesFileError,
    places_read,
)
from register.models import AlternateName, Monument
from register.services.condition import conditions_refresh_for

logger = logging.getLogger(__name__)

# Rows per query when looking monuments up by slug or Wikidata id, and per INSERT or UPDATE.
BATCH = 900
# Monument fields a row may set, by the column (or GeoJSON property) that gives them.
FIELD_OF_COLUMN = {
    "name": "name",
    "kind": "kind",
    "latitude": "latitude",
    "longitude": "longitude",
    "wikidata": "wikidata",
    "unesco_ref": "unesco_ref",
    "description": "description",
    "sensitive": "sensitive",
    "source": "place_source",
    "extent": "extent",
}
COLUMN_OF_FIELD = {name: column for column, name in FIELD_OF_COLUMN.items()} | {"slug": "slug", "part_of": "part_of"}
# Rows per bulk UPDATE: each sets its values through a CASE of one branch per row, which the database walks for
# every row, so a statement costs the square of its rows.
UPDATE_BATCH = 100
# Rows written past which the tables' planner statistics are refreshed (PostgreSQL).
ANALYZE_AFTER_ROWS = 10_000
# The history's change reason holds at most 100 characters (django-simple-history's column).
CHANGE_REASON_MAX = 100


class PlacesStatus(enum.StrEnum):
    IMPORTED = "imported"
    UNCHANGED = "unchanged"
    FAILED = "failed"


@dataclass
class PlacesImportResult:
    """What became of one places file: the object ``import_places --format json`` prints."""

    file: str
    status: PlacesStatus
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[PlaceError] = field(default_factory=list)
    dry_run: bool = False

    def as_json(self) -> dict:
        return {
            "file": self.file,
            "status": str(self.status),
            "created": self.created,
            "updated": self.updated,
            "unchanged": self.unchanged,
            "errors": [error.as_json() for error in self.errors],
        }


class _Rollback(Exception):
    """Raised inside the file's transaction to undo a dry run's checks (they write nothing, but lock rows)."""


def _chunks(items: list, size: int = BATCH):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def change_reason(name: str) -> str:
    """Return the history's change reason naming the file, cut from the left to fit when the path is long."""
    reason = _("Imported from %(file)s") % {"file": name}
    if len(reason) <= CHANGE_REASON_MAX:
        return reason
    room = CHANGE_REASON_MAX - len(_("Imported from %(file)s") % {"file": "…"})
    return _("Imported from %(file)s") % {"file": "…" + name[-room:]}


@dataclass
class _Plan:
    """What a file's rows make of the register: monuments to create and update, names to add."""

    # (row index, monument) to create, and (row index, monument, fields changed) to update.
    create: list[tuple[int, Monument]] = field(default_factory=list)
    update: list[tuple[int, Monument, set[str]]] = field(default_factory=list)
    unchanged: int = 0
    # Each row's monument (new or stored), and the slug of the in-file or stored site it is part of.
    monument_of: dict[int, Monument] = field(default_factory=dict)
    parent_slug: dict[int, str] = field(default_factory=dict)
    # Each new alternate name with the index of the row whose monument it names.
    names: list[tuple[int, AlternateName]] = field(default_factory=list)
    # Stored monuments whose only change is a new alternate name.
    names_only: int = 0
    parts_moved: list[Monument] = field(default_factory=list)


class _FilePlanner:
    """Check a file's rows against the register and plan the writes; faults go to ``errors``."""

    def __init__(self, rows: list[PlaceRow], errors: list[PlaceError], *, lock: bool):
        self.rows = rows
        self.errors = errors
        self.lock = lock
        # A column already reported for a row is not reported again for the same fault seen another way.
        self.reported = {(error.location, error.column) for error in errors}

    def fail(self, location: Location, column: str, message: str) -> None:
        self.errors.append(PlaceError(location, column, message))
        self.reported.add((location, column))

    def _stored(self, lookup: str, values: list[str]) -> dict[str, Monument]:
        found = {}
        queryset = Monument.objects.select_for_update() if self.lock else Monument.objects
        for chunk in _chunks(sorted(set(values))):
            for monument in queryset.filter(**{f"{lookup}__in": chunk}).order_by():
                found[getattr(monument, lookup)] = monument
        return found

    def _matches(self) -> dict[int, Monument | None]:
        """Return each row's stored monument (or None for a new one), checking slugs and ids are used once."""
        slugs, wikidata = {}, {}
        for index, row in enumerate(self.rows):
            slug = row.values.get("slug")
            if not slug:
                self.fail(row.location, "slug", _("The slug is missing; every place needs one."))
            elif slug in slugs:
                self.fail(
                    row.location,
                    "slug",
                    _("The slug %(slug)s is already used by %(where)s.")
                    % {"slug": slug, "where": self.rows[slugs[slug]].location},
                )
            else:
                slugs[slug] = index
            qid = row.values.get("wikidata")
            if qid and qid in wikidata:
                self.fail(
                    row.location,
                    "wikidata",
                    _("The Wikidata id %(qid)s is already used by %(where)s.")
                    % {"qid": qid, "where": self.rows[wikidata[qid]].location},
                )
            elif qid:
                wikidata[qid] = index
        by_wikidata = self._stored("wikidata", list(wikidata))
        by_slug = self._stored("slug", list(slugs))
        matches, matched_by = {}, {}
        for index, row in enumerate(self.rows):
            slug, qid = row.values.get("slug"), row.values.get("wikidata")
            if not slug:
                continue
            stored = by_wikidata.get(qid) if qid else None
            other = by_slug.get(slug) if slug else None
            if stored is not None and other is not None and other.pk != stored.pk:
                self.fail(
                    row.location,
                    "slug",
                    _(
                        "Wikidata id %(qid)s is the register's %(monument)s (slug %(stored_slug)s), but the slug "
                        "%(slug)s belongs to %(other)s."
                    )
                    % {
                        "qid": qid,
                        "monument": stored.name,
                        "stored_slug": stored.slug,
                        "slug": slug,
                        "other": other.name,
                    },
                )
                continue
            stored = stored or other
            if stored is not None:
                if stored.pk in matched_by:
                    self.fail(
                        row.location,
                        "slug",
                        _("This row is the register's %(monument)s, which %(where)s is too.")
                        % {"monument": stored.name, "where": self.rows[matched_by[stored.pk]].location},
                    )
                    continue
                matched_by[stored.pk] = index
            matches[index] = stored
        return matches

    def _parents(self, matches: dict[int, Monument | None]) -> dict[int, Monument | str]:
        """Return each row's new site: a stored monument, or the slug of a row of this file that will hold it."""
        in_file = {row.values["slug"]: index for index, row in enumerate(self.rows) if row.values.get("slug")}
        wanted = [row.values["part_of"] for row in self.rows if row.values.get("part_of")]
        stored = self._stored_sites([slug for slug in wanted if slug not in in_file])
        parents = {}
        for index, row in enumerate(self.rows):
            slug = row.values.get("part_of")
            if not slug:
                continue
            if slug == row.values.get("slug"):
                self.fail(row.location, "part_of", _("A place cannot be part of itself."))
            elif slug in in_file:
                # A site already in the register has its id; a new one gets it when written.
                parents[index] = matches.get(in_file[slug]) or slug
            elif slug in stored:
                site = stored[slug]
                if matches.get(index) is not None and site.pk == matches[index].pk:
                    self.fail(row.location, "part_of", _("A place cannot be part of itself."))
                else:
                    parents[index] = site
            else:
                self.fail(
                    row.location,
                    "part_of",
                    _("part_of names %(slug)s, which is neither a slug in this file nor in the register.")
                    % {"slug": slug[:200]},
                )
        self._check_cycles(matches, parents, in_file)
        return parents

    def _stored_sites(self, slugs: list[str]) -> dict[str, Monument]:
        found = {}
        for chunk in _chunks(sorted(set(slugs))):
            for monument in Monument.objects.filter(slug__in=chunk).only("pk", "slug", "name", "part_of"):
                found[monument.slug] = monument
        return found

    def _check_cycles(self, matches, parents, in_file) -> None:
        """Refuse rows whose sites lead back to themselves, through this file or the register."""
        # Each place's site after the import: rows by their index, stored monuments by their pk.
        up: dict[tuple[str, int], tuple[str, int] | None] = {}
        stored_row = {m.pk: index for index, m in matches.items() if m is not None}
        for index in range(len(self.rows)):
            parent = parents.get(index)
            if parent is None and matches.get(index) is not None and matches[index].part_of_id is not None:
                # A stored place whose row gives no part_of stays in its stored site.
                parent = Monument(pk=matches[index].part_of_id)
            if isinstance(parent, str):
                up[("row", index)] = ("row", in_file[parent])
            elif parent is not None:
                row_of_site = stored_row.get(parent.pk)
                up[("row", index)] = ("row", row_of_site) if row_of_site is not None else ("pk", parent.pk)
        # Stored sites the file does not change keep their own sites: follow them a level at a time.
        frontier = {node[1] for node in up.values() if node and node[0] == "pk"}
        seen: set[int] = set()
        while frontier:
            seen |= frontier
            rows = Monument.objects.filter(pk__in=frontier).values_list("pk", "part_of_id")
            frontier = set()
            for pk, site_pk in rows:
                if site_pk is None:
                    continue
                row_of_site = stored_row.get(site_pk)
                up[("pk", pk)] = ("row", row_of_site) if row_of_site is not None else ("pk", site_pk)
                if row_of_site is None and site_pk not in seen:
                    frontier.add(site_pk)
        state: dict = {}
        for start in [("row", index) for index in range(len(self.rows))]:
            path, node = [], start
            while node is not None and node not in state:
                state[node] = "visiting"
                path.append(node)
                node = up.get(node)
            in_cycle = node is not None and state.get(node) == "visiting"
            for step in path:
                state[step] = "done"
            if in_cycle:
                cycle = path[path.index(node) :]
                first = min((step[1] for step in cycle if step[0] == "row"), default=None)
                if first is not None:
                    row = self.rows[first]
                    self.fail(
                        row.location,
                        "part_of",
                        _("part_of makes a circle: %(slug)s would be inside itself.") % {"slug": row.values["slug"]},
                    )

    def plan(self, *, progress: Callable[[int], None] | None) -> _Plan:
        matches = self._matches()
        parents = self._parents(matches)
        plan = _Plan()
        stored_names = self._stored_names([m.pk for m in matches.values() if m is not None])
        now = timezone.now()
        done = 0
        for index, row in enumerate(self.rows):
            done += 1
            if progress is not None and done % 1000 == 0:
                progress(1000)
            if index not in matches:
                continue
            stored = matches[index]
            parent = parents.get(index)
            if stored is None:
                monument = self._new(row, parent)
                if monument is None:
                    continue
                plan.create.append((index, monument))
                plan.monument_of[index] = monument
            else:
                changed = self._changes(row, stored, parent)
                if changed is None:
                    continue
                plan.monument_of[index] = stored
                if changed:
                    if "part_of" in changed:
                        plan.parts_moved.append(stored)
                    stored.updated = now
                    stored.version += 1
                    plan.update.append((index, stored, changed))
            if isinstance(parent, str):
                plan.parent_slug[index] = parent
            names = self._names(row, stored_names.get(stored.pk, set()) if stored else set())
            plan.names.extend((index, name) for name in names)
            if stored is not None and not changed:
                if names:
                    plan.names_only += 1
                else:
                    plan.unchanged += 1
        if progress is not None:
            progress(done % 1000)
        return plan

    def _new(self, row: PlaceRow, parent) -> Monument | None:
        values = row.values
        needed = {"name": _("A new place needs a name."), "kind": _("A new place needs a kind.")}
        missing = [column for column in needed if not values.get(column)]
        for column in missing:
            if (row.location, column) not in self.reported:
                self.fail(row.location, column, needed[column])
        if missing:
            return None
        monument = Monument(slug=values["slug"], **self._fields(values))
        if isinstance(parent, Monument):
            monument.part_of = parent
        return monument if self._clean(row, monument) else None

    @staticmethod
    def _fields(values: dict) -> dict:
        return {FIELD_OF_COLUMN[column]: value for column, value in values.items() if column in FIELD_OF_COLUMN}

    def _changes(self, row: PlaceRow, stored: Monument, parent) -> set[str] | None:
        """Set the row's values on the stored monument; return the fields that changed, or None when invalid."""
        changed = set()
        for name, value in self._fields(row.values).items():
            if getattr(stored, name) != value:
                setattr(stored, name, value)
                changed.add(name)
        if isinstance(parent, Monument) and stored.part_of_id != parent.pk:
            stored.part_of = parent
            changed.add("part_of")
        elif isinstance(parent, str):
            # A new site of this file: set once it is written and has an id.
            changed.add("part_of")
        if changed and not self._clean(row, stored):
            return None
        return changed

    def _clean(self, row: PlaceRow, monument: Monument) -> bool:
        """Run the model's own checks (lengths, slug form, extent); uniqueness was checked for the whole file."""
        # part_of is checked by the planner; a site in this file has no id yet.
        try:
            monument.full_clean(exclude=["part_of"], validate_unique=False, validate_constraints=False)
        except ValidationError as error:
            for name, messages in error.message_dict.items():
                column = COLUMN_OF_FIELD.get(name, name)
                if (row.location, column) in self.reported:
                    continue
                for message in messages:
                    self.fail(row.location, "" if column == "__all__" else column, message)
            return False
        return True

    @staticmethod
    def _stored_names(pks: list[int]) -> dict[int, set[tuple[str, str]]]:
        names: dict[int, set[tuple[str, str]]] = {}
        for chunk in _chunks(pks):
            for monument_id, name, language in AlternateName.objects.filter(monument__in=chunk).values_list(
                "monument_id", "name", "language"
            ):
                names.setdefault(monument_id, set()).add((name.lower(), language))
        return names

    @staticmethod
    def _names(row: PlaceRow, stored: set[tuple[str, str]]) -> list[AlternateName]:
        names, seen = [], set(stored)
        for _column, language, name in row.names:
            key = (name.lower(), language)
            if key not in seen:
                seen.add(key)
                names.append(AlternateName(name=name, language=language))
        return names


def _write(plan: _Plan, *, reason: str, user) -> None:
    """Create and update the planned monuments, then add the planned names, each with its history."""
    history = {"default_change_reason": reason, "default_user": user}
    by_slug = {monument.slug: monument for monument in plan.monument_of.values()}
    # Sites before their parts: each level is created once the sites it is part of have their ids.
    pending = list(plan.create)
    while pending:
        level, waiting = [], []
        for index, monument in pending:
            site_slug = plan.parent_slug.get(index)
            if site_slug is not None and by_slug[site_slug].pk is None:
                waiting.append((index, monument))
                continue
            if site_slug is not None:
                monument.part_of = by_slug[site_slug]
            level.append(monument)
        bulk_create_with_history(level, Monument, batch_size=BATCH, **history)
        pending = waiting
    # One bulk update per set of changed fields, so each UPDATE sets only what changed.
    by_fields: dict[tuple[str, ...], list[Monument]] = {}
    for index, monument, changed in plan.update:
        if index in plan.parent_slug:
            monument.part_of = by_slug[plan.parent_slug[index]]
        by_fields.setdefault(tuple(sorted(changed | {"updated", "version"})), []).append(monument)
    for fields, monuments in by_fields.items():
        bulk_update_with_history(monuments, Monument, list(fields), batch_size=UPDATE_BATCH, **history)
    names = []
    for index, name in plan.names:
        name.monument = plan.monument_of[index]
        names.append(name)
    bulk_create_with_history(names, AlternateName, batch_size=BATCH, **history)


def places_import(
    *,
    data: bytes,
    name: str,
    dry_run: bool = False,
    user=None,
    progress: Callable[[int], None] | None = None,
) -> PlacesImportResult:
    """Import one places file's bytes (``name`` says whether CSV or GeoJSON); write nothing if any row is bad.

    Never raises for anything a file holds: an unreadable file, bad rows, or the importer's own failure is a
    ``failed`` result with every reason, and nothing of it is stored. ``dry_run`` checks the file as an import
    would and reports what it would do, writing nothing. ``progress`` is called with a count of rows done.
    """
    name = display_name(name)
    result = PlacesImportResult(file=name, status=PlacesStatus.FAILED, dry_run=dry_run)
    try:
        read = places_read(data, name)
    except PlacesFileError as error:
        result.errors = [PlaceError(error.location, "", str(error))]
        logger.warning("Places not imported: %s: %s", name, error)
        return result
    try:
        with transaction.atomic():
            _import_rows(read.rows, read.errors, result, reason=change_reason(name), user=user, progress=progress)
            if dry_run:
                raise _Rollback
    except _Rollback:
        pass
    except Exception as error:
        # One file's failure, even the importer's own bug, must not cost the other files.
        logger.exception("Places import of %s failed", name)
        result.status = PlacesStatus.FAILED
        result.created = result.updated = result.unchanged = 0
        result.errors = [
            PlaceError(
                Location(),
                "",
                _(
                    "The importer failed on this file (%(error)s); nothing of it was stored, and the details are "
                    "in the server's log."
                )
                % {"error": f"{type(error).__name__}: {error}"[:300]},
            )
        ]
        return result
    if result.status == PlacesStatus.FAILED:
        logger.warning("Places not imported: %s: %s faults, the first: %s", name, len(result.errors), result.errors[0])
    return result


def _import_rows(rows, errors, result: PlacesImportResult, *, reason: str, user, progress) -> None:
    """Check the rows against the register and, when none is bad, write them; fill in ``result``."""
    planner = _FilePlanner(rows, errors, lock=not result.dry_run)
    plan = planner.plan(progress=progress)
    if errors:
        result.errors = sorted(errors, key=lambda error: (error.location.order, error.column))
        # Nothing was written; the checks' row locks end with the transaction.
        return
    if not result.dry_run:
        _write(plan, reason=reason, user=user)
        if len(plan.create) + len(plan.update) >= ANALYZE_AFTER_ROWS and connection.vendor == "postgresql":
            # A bulk load leaves the planner's statistics describing the tables before it, and a plan made for
            # a near-empty table scans the whole of a large one: PostgreSQL's advice is to ANALYZE after loading.
            with connection.cursor() as cursor:
                for model in (Monument, Monument.history.model, AlternateName, AlternateName.history.model):
                    cursor.execute(f"ANALYZE {connection.ops.quote_name(model._meta.db_table)}")
    result.created = len(plan.create)
    result.updated = len(plan.update) + plan.names_only
    result.unchanged = plan.unchanged
    result.status = PlacesStatus.IMPORTED if result.created or result.updated else PlacesStatus.UNCHANGED
    if not result.dry_run and plan.parts_moved:
        # Which site a monument is part of bears on no condition today, but a moved part is refreshed so its
        # stored condition and counts stay true if they ever do.
        conditions_refresh_for(records=plan.parts_moved)


def _unreadable(name: str, message: str, *, dry_run: bool) -> PlacesImportResult:
    logger.warning("Places not imported: %s: %s", name, message)
    return PlacesImportResult(
        file=name, status=PlacesStatus.FAILED, dry_run=dry_run, errors=[PlaceError(Location(), "", message)]
    )


def _too_large(size: int) -> str:
    return _("The file is %(size)s MB; a places file may be at most %(limit)s MB.") % {
        "size": size // 2**20,
        "limit": MAX_PLACES_BYTES // 2**20,
    }


def places_import_file(
    *, path: Path, dry_run: bool = False, user=None, progress: Callable[[int], None] | None = None
) -> PlacesImportResult:
    """Import the places file at ``path``; one that cannot be read, or is too large, is a ``failed`` result."""
    name = display_name(path)
    try:
        if path.is_dir():
            return _unreadable(name, _("This is a directory, not a places file."), dry_run=dry_run)
        size = path.stat().st_size
        if size > MAX_PLACES_BYTES:
            return _unreadable(name, _too_large(size), dry_run=dry_run)
        data = path.read_bytes()
    except OSError as error:
        return _unreadable(
            name, _("The file cannot be read: %(reason)s.") % {"reason": error.strerror}, dry_run=dry_run
        )
    return places_import(data=data, name=str(path), dry_run=dry_run, user=user, progress=progress)


def places_import_upload(*, upload: UploadedFile, dry_run: bool = False, user=None) -> PlacesImportResult:
    """Import an uploaded places file; one over the size limit is refused before it is read."""
    if upload.size > MAX_PLACES_BYTES:
        return _unreadable(display_name(upload.name), _too_large(upload.size), dry_run=dry_run)
    return places_import(data=upload.read(), name=upload.name, dry_run=dry_run, user=user)
