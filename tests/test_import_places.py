"""manage.py import_places and its service: CSV and GeoJSON places in, every bad row reported, nothing half-written."""

import csv
import json
import os
import subprocess
import sys
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.urls import reverse

from register.models import AlternateName, Monument
from register.models.vocabularies import MonumentKind
from register.services.places_import import PlacesStatus, change_reason, places_import, places_import_file

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parent.parent
GAZETTEER = sorted((ROOT / "fixtures" / "places").glob("*.csv")) + sorted(
    (ROOT / "fixtures" / "places").glob("*.geojson")
)
HEADER = "slug,name,kind,part_of,latitude,longitude,wikidata,unesco_ref,description,sensitive,source,name:ar,name:fr"
ALEPPO = (
    HEADER
    + "\n"
    + "aleppo,Ancient City of Aleppo,site,,,,Q204760,21,The old city.,false,UNESCO,حلب,Alep\n"
    + "citadel-of-aleppo,Citadel of Aleppo,fortification,aleppo,36.19917,37.1625,,,,,Wikipedia,قلعة حلب,\n"
)
SQUARE = [[[38.26, 34.54], [38.28, 34.54], [38.28, 34.56], [38.26, 34.56], [38.26, 34.54]]]


def write(tmp_path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def run_json(*paths, expect_failure=False) -> list[dict]:
    out, err = StringIO(), StringIO()
    if expect_failure:
        with pytest.raises(CommandError):
            call_command("import_places", *map(str, paths), "--format", "json", stdout=out, stderr=err)
    else:
        call_command("import_places", *map(str, paths), "--format", "json", stdout=out, stderr=err)
    return [json.loads(line) for line in out.getvalue().splitlines()]


def errors_of(tmp_path, text: str, name="bad.csv") -> list[dict]:
    [result] = run_json(write(tmp_path, name, text), expect_failure=True)
    assert result["status"] == "failed"
    assert not Monument.objects.exists()
    return result["errors"]


def feature(properties: dict, geometry=None) -> dict:
    return {"type": "Feature", "properties": properties, "geometry": geometry}


def collection(*features) -> str:
    return json.dumps({"type": "FeatureCollection", "features": list(features)}, ensure_ascii=False)


# CSV


def test_a_csv_creates_monuments_their_site_and_alternate_names(tmp_path):
    [result] = run_json(write(tmp_path, "aleppo.csv", ALEPPO))
    assert result == {
        "file": str(tmp_path / "aleppo.csv"),
        "status": "imported",
        "created": 2,
        "updated": 0,
        "unchanged": 0,
        "errors": [],
    }
    site = Monument.objects.get(slug="aleppo")
    citadel = Monument.objects.get(slug="citadel-of-aleppo")
    assert citadel.part_of == site
    assert citadel.kind == MonumentKind.FORTIFICATION
    assert (citadel.latitude, citadel.longitude) == (Decimal("36.1991700"), Decimal("37.1625000"))
    assert site.wikidata == "Q204760" and site.unesco_ref == "21" and site.description == "The old city."
    assert site.place_source == "UNESCO" and site.sensitive is False
    assert set(site.names.values_list("language", "name")) == {("ar", "حلب"), ("fr", "Alep")}
    assert set(citadel.names.values_list("language", "name")) == {("ar", "قلعة حلب")}


def test_importing_the_same_file_again_changes_nothing_and_says_so(tmp_path):
    path = write(tmp_path, "aleppo.csv", ALEPPO)
    run_json(path)
    versions = dict(Monument.objects.values_list("slug", "version"))
    history = Monument.history.count() + AlternateName.history.count()
    [again] = run_json(path)
    assert again["status"] == "unchanged"
    assert (again["created"], again["updated"], again["unchanged"]) == (0, 0, 2)
    assert dict(Monument.objects.values_list("slug", "version")) == versions
    assert Monument.history.count() + AlternateName.history.count() == history
    out = StringIO()
    call_command("import_places", str(path), stdout=out)
    assert "unchanged" in out.getvalue().splitlines()[0]


def test_a_changed_row_updates_the_monument_and_its_history_names_the_file(tmp_path):
    run_json(write(tmp_path, "aleppo.csv", ALEPPO))
    changed = ALEPPO.replace("36.19917,37.1625,,,,", "36.2,37.16,,,,true")
    path = write(tmp_path, "corrected.csv", changed)
    [result] = run_json(path)
    assert (result["status"], result["created"], result["updated"], result["unchanged"]) == ("imported", 0, 1, 1)
    citadel = Monument.objects.get(slug="citadel-of-aleppo")
    assert citadel.latitude == Decimal("36.2000000") and citadel.sensitive is True
    latest = citadel.history.first()
    assert latest.history_type == "~"
    assert latest.history_change_reason == change_reason(str(path))
    assert str(path) in latest.history_change_reason
    assert citadel.history.last().history_change_reason == change_reason(str(tmp_path / "aleppo.csv"))


def test_an_update_raises_the_version_so_a_form_opened_before_is_refused(tmp_path):
    run_json(write(tmp_path, "aleppo.csv", ALEPPO))
    before = Monument.objects.get(slug="aleppo").version
    run_json(write(tmp_path, "renamed.csv", ALEPPO.replace("Ancient City of Aleppo", "Old City of Aleppo")))
    assert Monument.objects.get(slug="aleppo").version == before + 1


def test_a_row_is_matched_by_wikidata_before_slug_and_keeps_its_address(tmp_path):
    Monument.objects.create(name="Aleppo", slug="old-aleppo", kind=MonumentKind.SITE, wikidata="Q204760")
    [result] = run_json(write(tmp_path, "aleppo.csv", ALEPPO))
    assert (result["created"], result["updated"]) == (1, 1)
    site = Monument.objects.get(wikidata="Q204760")
    assert site.slug == "old-aleppo" and site.name == "Ancient City of Aleppo"
    assert Monument.objects.get(slug="citadel-of-aleppo").part_of == site


def test_an_empty_cell_leaves_the_stored_value_as_it_is(tmp_path):
    Monument.objects.create(
        name="Aleppo", slug="aleppo", kind=MonumentKind.SITE, description="Kept.", latitude=36, longitude=37
    )
    write(tmp_path, "names.csv", "slug,name:ar\naleppo,حلب\n")
    [result] = run_json(tmp_path / "names.csv")
    assert (result["status"], result["updated"]) == ("imported", 1)
    site = Monument.objects.get(slug="aleppo")
    assert (site.name, site.description, site.latitude) == ("Aleppo", "Kept.", Decimal("36.0000000"))
    assert list(site.names.values_list("name", flat=True)) == ["حلب"]
    assert site.names.get().history.first().history_change_reason == change_reason(str(tmp_path / "names.csv"))


def test_part_of_may_name_a_site_already_in_the_register(tmp_path, site):
    write(tmp_path, "bel.csv", "slug,name,kind,part_of\ntemple-of-bel,Temple of Bel,temple,palmyra\n")
    run_json(tmp_path / "bel.csv")
    assert Monument.objects.get(slug="temple-of-bel").part_of == site


def test_a_bom_and_crlf_line_endings_are_read(tmp_path):
    path = tmp_path / "excel.csv"
    path.write_bytes(b"\xef\xbb\xbf" + ALEPPO.replace("\n", "\r\n").encode())
    assert run_json(path)[0]["created"] == 2


# GeoJSON


def test_a_geojson_point_gives_the_coordinates(tmp_path):
    text = collection(
        feature(
            {"slug": "hatra", "name": "Hatra", "kind": "archaeological_site", "name:ar": "الحضر"},
            {"type": "Point", "coordinates": [42.718, 35.588]},
        ),
    )
    [result] = run_json(write(tmp_path, "hatra.geojson", text))
    assert result["created"] == 1
    hatra = Monument.objects.get(slug="hatra")
    assert (hatra.latitude, hatra.longitude) == (Decimal("35.5880000"), Decimal("42.7180000"))
    assert hatra.extent is None


def test_a_geojson_polygon_is_the_extent_and_its_representative_point_the_coordinates(tmp_path):
    text = collection(
        feature(
            {"slug": "mari", "name": "Mari", "kind": "tell", "sensitive": True},
            {"type": "Polygon", "coordinates": SQUARE},
        ),
    )
    run_json(write(tmp_path, "mari.json", text))
    mari = Monument.objects.get(slug="mari")
    assert mari.extent == {"type": "Polygon", "coordinates": SQUARE}
    assert Decimal("34.54") < mari.latitude < Decimal("34.56")
    assert Decimal("38.26") < mari.longitude < Decimal("38.28")
    assert mari.sensitive is True
    assert run_json(tmp_path / "mari.json")[0]["status"] == "unchanged"


def test_given_coordinates_win_over_the_extents_representative_point(tmp_path):
    text = collection(
        feature(
            {"slug": "x", "name": "X", "kind": "site", "latitude": 34.55, "longitude": 38.27},
            {"type": "MultiPolygon", "coordinates": [SQUARE]},
        ),
    )
    run_json(write(tmp_path, "x.geojson", text))
    place = Monument.objects.get(slug="x")
    assert (place.latitude, place.longitude) == (Decimal("34.5500000"), Decimal("38.2700000"))
    assert place.extent["type"] == "MultiPolygon"


def test_a_feature_without_geometry_imports_its_properties(tmp_path):
    run_json(write(tmp_path, "x.geojson", collection(feature({"slug": "ebla", "name": "Ebla", "kind": "tell"}))))
    assert Monument.objects.get(slug="ebla").latitude is None


# Every bad row, with where and why


def test_every_bad_row_of_a_csv_is_reported_with_line_column_and_reason_and_nothing_is_written(tmp_path):
    text = (
        "slug,name,kind,part_of,latitude,longitude,wikidata,sensitive,name:ar_Latn\n"
        "a,A,castle,,,,,,\n"  # line 2: unknown kind
        "b,B,site,,95,10,,,\n"  # line 3: latitude out of range
        "c,C,site,nowhere,,,,,\n"  # line 4: part_of names nothing
        "a,D,site,,,,,,\n"  # line 5: duplicate slug
        "e,E,site,,,,Q12x,,\n"  # line 6: malformed Wikidata id
        "f,F,site,,,,,maybe,\n"  # line 7: not true or false
        "g,G,site,,,,,,x\n"  # line 8: bad language tag (the column)
        "h,H,site,,1,,,,\n"  # line 9: a latitude without a longitude
        "i,I,site,,abc,1,,,\n"  # line 10: not a number
        ",J,site,,,,,,\n"  # line 11: no slug
        "k,,site,,,,,,\n"  # line 12: a new place without a name
    )
    found = {(error["line"], error["column"]): error["message"] for error in errors_of(tmp_path, text)}
    assert "castle is not a kind of place" in found[(2, "kind")]
    assert found[(3, "latitude")] == "Latitude 95 is outside -90 to 90."
    assert "part_of names nowhere" in found[(4, "part_of")]
    assert found[(5, "slug")] == "The slug a is already used by line 2."
    assert "Q12x is not a Wikidata id" in found[(6, "wikidata")]
    assert found[(7, "sensitive")] == "maybe is not true or false."
    assert "ar_Latn is not a valid BCP 47 language tag" in found[(8, "name:ar_Latn")]
    assert (9, "longitude") in found
    assert found[(10, "latitude")] == "abc is not a number."
    assert "slug is missing" in found[(11, "slug")]
    assert found[(12, "name")] == "A new place needs a name."


def test_a_longitude_out_of_range_is_refused(tmp_path):
    [error] = errors_of(tmp_path, "slug,name,kind,latitude,longitude\nx,X,site,10,181\n")
    assert (error["line"], error["column"]) == (2, "longitude")


def test_a_row_spanning_lines_is_reported_at_the_line_it_starts_on(tmp_path):
    text = 'slug,name,kind,description\nx,X,site,"two\nlines"\ny,Y,castle,\n'
    [error] = errors_of(tmp_path, text)
    assert (error["line"], error["column"]) == (4, "kind")


def test_an_unknown_column_is_reported_against_the_header(tmp_path):
    errors = errors_of(tmp_path, "slug,name,kind,latitud\nx,X,site,1\n")
    assert [(e["line"], e["column"]) for e in errors] == [(1, "latitud")]


def test_a_header_without_a_slug_column_is_refused(tmp_path):
    errors = errors_of(tmp_path, "name,kind\nX,site\n")
    assert [(e["line"], e["column"]) for e in errors] == [(1, "slug")]


def test_a_self_intersecting_polygon_is_reported_by_feature_index(tmp_path):
    bowtie = {"type": "Polygon", "coordinates": [[[0, 0], [1, 1], [1, 0], [0, 1], [0, 0]]]}
    text = collection(
        feature({"slug": "ok", "name": "OK", "kind": "site"}, {"type": "Point", "coordinates": [1, 2]}),
        feature({"slug": "bad", "name": "Bad", "kind": "site"}, bowtie),
    )
    [error] = errors_of(tmp_path, text, "bad.geojson")
    assert error["feature"] == 1 and error["column"] == "geometry"
    assert "Self-intersection" in error["message"]


@pytest.mark.parametrize(
    ("geometry", "says"),
    [
        ({"type": "LineString", "coordinates": [[0, 0], [1, 1]]}, "Point, Polygon or MultiPolygon"),
        ({"type": "Point", "coordinates": [1]}, "[longitude, latitude]"),
        ({"type": "Polygon", "coordinates": [[[0, 0], [200, 0], [1, 1], [0, 0]]]}, "outside WGS84"),
        ({"type": "Point", "coordinates": [1, 95]}, "outside -90 to 90"),
    ],
)
def test_bad_geometries_are_reported(tmp_path, geometry, says):
    [error] = errors_of(tmp_path, collection(feature({"slug": "x", "name": "X", "kind": "site"}, geometry)), "x.json")
    assert error["feature"] == 0 and says in error["message"]


def test_a_point_that_disagrees_with_its_properties_is_refused(tmp_path):
    text = collection(
        feature(
            {"slug": "x", "name": "X", "kind": "site", "latitude": 1, "longitude": 2},
            {"type": "Point", "coordinates": [3, 4]},
        )
    )
    [error] = errors_of(tmp_path, text, "x.geojson")
    assert error["column"] == "geometry"


@pytest.mark.parametrize(
    ("name", "data", "says"),
    [
        ("empty.csv", b"", "empty"),
        ("latin1.csv", "slug,name\nx,Alep\xe9\n".encode("latin-1"), "not UTF-8"),
        ("notes.txt", b"slug\nx\n", ".csv, .geojson or .json"),
        ("broken.geojson", b'{"type": "FeatureCollection", "features": [', "not JSON"),
        ("point.geojson", b'{"type": "Point", "coordinates": [1, 2]}', "not a GeoJSON FeatureCollection"),
    ],
)
def test_a_file_that_cannot_be_read_fails_with_a_reason(tmp_path, name, data, says):
    result = places_import(data=data, name=name)
    assert result.status == PlacesStatus.FAILED
    assert says in result.errors[0].message


def test_a_cycle_of_sites_is_refused(tmp_path):
    errors = errors_of(tmp_path, "slug,name,kind,part_of\na,A,site,b\nb,B,site,a\n")
    assert {e["column"] for e in errors} == {"part_of"}


def test_a_cycle_through_the_register_is_refused(tmp_path):
    outer = Monument.objects.create(name="Outer", slug="outer", kind=MonumentKind.SITE)
    Monument.objects.create(name="Inner", slug="inner", kind=MonumentKind.SITE, part_of=outer)
    [result] = run_json(write(tmp_path, "loop.csv", "slug,part_of\nouter,inner\n"), expect_failure=True)
    assert result["errors"][0]["column"] == "part_of"
    assert Monument.objects.get(slug="outer").part_of is None


def test_a_slug_and_a_wikidata_id_naming_two_monuments_are_refused(tmp_path):
    Monument.objects.create(name="A", slug="a", kind=MonumentKind.SITE, wikidata="Q1")
    Monument.objects.create(name="B", slug="b", kind=MonumentKind.SITE)
    [result] = run_json(write(tmp_path, "clash.csv", "slug,wikidata\nb,Q1\n"), expect_failure=True)
    assert result["errors"][0]["column"] == "slug"


# The command


def test_one_bad_file_imports_nothing_and_the_others_still_import(tmp_path):
    good = write(tmp_path, "good.csv", ALEPPO)
    bad = write(tmp_path, "bad.csv", "slug,name,kind\nx,X,castle\n")
    results = run_json(bad, good, expect_failure=True)
    assert [r["status"] for r in results] == ["failed", "imported"]
    assert not Monument.objects.filter(slug="x").exists()
    assert Monument.objects.filter(slug="aleppo").exists()


def test_dry_run_checks_and_counts_but_writes_nothing(tmp_path):
    out = StringIO()
    call_command("import_places", str(write(tmp_path, "aleppo.csv", ALEPPO)), "--dry-run", stdout=out)
    assert not Monument.objects.exists()
    assert "2 to create" in out.getvalue()
    assert "nothing was written" in out.getvalue()
    result = places_import_file(path=tmp_path / "aleppo.csv", dry_run=True)
    assert (result.status, result.created) == (PlacesStatus.IMPORTED, 2)
    bad = places_import(data=b"slug,name,kind\nx,X,castle\n", name="bad.csv", dry_run=True)
    assert bad.status == PlacesStatus.FAILED


def test_text_output_lists_each_fault_under_its_file(tmp_path):
    out = StringIO()
    with pytest.raises(CommandError) as caught:
        call_command("import_places", str(write(tmp_path, "bad.csv", "slug,name,kind\nx,X,castle\n")), stdout=out)
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("failed") and "1 fault" in lines[0]
    assert lines[1].strip().startswith("line 2, column kind: castle is not a kind of place")
    assert "1 failed" in str(caught.value)


def test_a_missing_file_fails_with_a_reason(tmp_path):
    [result] = run_json(tmp_path / "nowhere.csv", expect_failure=True)
    assert "cannot be read" in result["errors"][0]["message"]


def test_the_exit_status_is_one_when_a_file_failed_and_zero_otherwise(tmp_path):
    env = {**os.environ, "DEBUG": "true", "DATABASE_URL": f"sqlite:///{tmp_path / 'register.sqlite3'}"}

    def manage(*args):
        return subprocess.run(
            [sys.executable, "manage.py", *map(str, args)], cwd=ROOT, env=env, capture_output=True, text=True
        )

    assert manage("migrate", "--noinput", "-v", "0").returncode == 0
    good = write(tmp_path, "good.csv", ALEPPO)
    bad = write(tmp_path, "bad.csv", "slug,name,kind\nx,X,castle\n")
    failed = manage("import_places", bad, good, "--format", "json")
    assert failed.returncode == 1
    assert [json.loads(line)["status"] for line in failed.stdout.splitlines()] == ["failed", "imported"]
    assert "1 failed" in failed.stderr
    passed = manage("import_places", good)
    assert passed.returncode == 0
    assert passed.stdout.splitlines()[0].startswith("unchanged")


class Terminal(StringIO):
    def isatty(self):
        return True


def test_a_progress_bar_is_drawn_on_a_terminal_only(tmp_path, capsys):
    path = write(tmp_path, "aleppo.csv", ALEPPO)
    call_command("import_places", str(path), stdout=StringIO())
    assert "rows" not in capsys.readouterr().err
    call_command("import_places", str(path), stdout=Terminal())
    assert "rows" in capsys.readouterr().err


# The starter gazetteer


def test_the_starter_gazetteer_imports_cleanly_after_palmyra_and_again_changes_nothing():
    call_command("loaddata", "palmyra", verbosity=0)
    first = run_json(*GAZETTEER)
    assert GAZETTEER and all(result["errors"] == [] for result in first)
    assert all(result["status"] in ("imported", "unchanged") for result in first)
    again = run_json(*GAZETTEER)
    assert [result["status"] for result in again] == ["unchanged"] * len(GAZETTEER)
    assert Monument.objects.get(slug="temple-of-bel").part_of.slug == "palmyra"
    assert Monument.objects.get(slug="mari").sensitive is True


def test_every_gazetteer_row_names_its_source():
    for path in (p for p in GAZETTEER if p.suffix == ".csv"):
        with path.open(encoding="utf-8", newline="") as file:
            rows = list(csv.DictReader(file))
        assert rows and all(row["source"].strip() for row in rows), path


# The admin's upload


@pytest.fixture
def curator_client(client, django_user_model):
    user = django_user_model.objects.create_superuser(username="curator", password="x" * 12, email="")
    client.force_login(user)
    return client


def test_the_monument_list_offers_an_import_places_button(curator_client):
    page = curator_client.get(reverse("admin:register_monument_changelist"))
    assert reverse("admin:register_monument_import").encode() in page.content
    assert b"Import places" in page.content


def test_the_admin_upload_imports_a_file_and_names_it_in_the_history(curator_client, tmp_path):
    with write(tmp_path, "aleppo.csv", ALEPPO).open("rb") as upload:
        page = curator_client.post(reverse("admin:register_monument_import"), {"files": [upload]})
    assert page.status_code == 200
    assert b"1 imported" in page.content
    site = Monument.objects.get(slug="aleppo")
    assert site.history.first().history_change_reason == change_reason("aleppo.csv")
    assert site.history.first().history_user.username == "curator"


def test_the_admin_upload_lists_every_fault_of_a_bad_file_and_imports_nothing(curator_client, tmp_path):
    text = "slug,name,kind,latitude,longitude\nx,X,castle,,\ny,Y,site,95,1\n"
    with write(tmp_path, "bad.csv", text).open("rb") as upload:
        page = curator_client.post(reverse("admin:register_monument_import"), {"files": [upload]})
    assert page.status_code == 200
    content = page.content.decode()
    assert "1 failed" in content
    assert "line 2, column kind" in content and "line 3, column latitude" in content
    assert not Monument.objects.exists()


def test_the_admin_dry_run_writes_nothing(curator_client, tmp_path):
    with write(tmp_path, "aleppo.csv", ALEPPO).open("rb") as upload:
        page = curator_client.post(reverse("admin:register_monument_import"), {"files": [upload], "dry_run": "on"})
    assert b"nothing was written" in page.content
    assert not Monument.objects.exists()
