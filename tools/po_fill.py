"""Fill the empty translations of a catalog from translators' catalogs, matched by (msgctxt, msgid).

    .venv/bin/python tools/po_fill.py locale/ar/LC_MESSAGES/django.po /tmp/po/*.ar.po

Only empty entries are filled, so running it again never overwrites a translation already reviewed; an entry
the translators marked fuzzy is taken fuzzy too. Prints how many entries were filled and how many are still empty.
"""

import sys

import polib


def translation_of(entry: polib.POEntry) -> tuple[str, dict[int, str]]:
    return entry.msgstr, dict(entry.msgstr_plural)


def is_translated(entry: polib.POEntry) -> bool:
    if entry.msgid_plural:
        return bool(entry.msgstr_plural) and all(entry.msgstr_plural.values())
    return bool(entry.msgstr)


def main(target: str, *sources: str) -> None:
    catalog = polib.pofile(target, wrapwidth=79)
    known = {}
    for source in sources:
        for entry in polib.pofile(source):
            if is_translated(entry) and not entry.obsolete:
                known.setdefault((entry.msgctxt, entry.msgid), entry)
    filled = 0
    for entry in catalog:
        found = known.get((entry.msgctxt, entry.msgid))
        if entry.obsolete or is_translated(entry) or found is None or found.msgid_plural != entry.msgid_plural:
            continue
        entry.msgstr = found.msgstr
        entry.msgstr_plural = dict(found.msgstr_plural)
        if "fuzzy" in found.flags and "fuzzy" not in entry.flags:
            entry.flags.append("fuzzy")
        filled += 1
    catalog.save()
    empty = sum(1 for entry in catalog if not entry.obsolete and not is_translated(entry))
    print(f"{filled} filled, {empty} still empty, of {len([e for e in catalog if not e.obsolete])}")


if __name__ == "__main__":
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    main(*sys.argv[1:])
