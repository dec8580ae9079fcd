"""Uncertain dates: EDTF text, the window of days it allows, and overlap filters."""

import datetime as dt

import pytest
from django.core.exceptions import ValidationError

from register.models import Incident
from register.models.dates import edtf_window

D = dt.date


@pytest.mark.parametrize(
    ("text", "earliest", "latest"),
    [
        ("2017-01", D(2017, 1, 1), D(2017, 1, 31)),
        ("2015-08-23~", D(2015, 8, 23), D(2015, 8, 23)),
        ("2016-12-26/2017-01-10", D(2016, 12, 26), D(2017, 1, 10)),
        ("2015", D(2015, 1, 1), D(2015, 12, 31)),
        ("2016-02", D(2016, 2, 1), D(2016, 2, 29)),
        ("201X", D(2010, 1, 1), D(2019, 12, 31)),
    ],
)
def test_edtf_text_gives_its_window_of_days(text, earliest, latest):
    assert edtf_window(text) == (earliest, latest)


@pytest.mark.parametrize("text", ["last month", "2017-13", "March 2017", "2017/01/02"])
def test_text_that_is_not_edtf_is_refused_with_examples(text):
    with pytest.raises(ValidationError) as error:
        edtf_window(text)
    assert "is not an EDTF date" in error.value.messages[0]


@pytest.mark.django_db
def test_saving_an_incident_derives_its_windows(make_incident):
    incident = make_incident(occurred="2016-12-26/2017-01-10", reported="2017-01-20")
    incident.refresh_from_db()
    assert (incident.occurred_earliest, incident.occurred_latest) == (D(2016, 12, 26), D(2017, 1, 10))
    assert (incident.reported_earliest, incident.reported_latest) == (D(2017, 1, 20), D(2017, 1, 20))


@pytest.mark.django_db
def test_full_clean_refuses_a_malformed_date_on_the_field(make_incident):
    incident = make_incident()
    incident.occurred = "sometime in 2017"
    with pytest.raises(ValidationError) as error:
        incident.full_clean()
    assert "occurred" in error.value.message_dict


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("start", "end", "expected"),
    [
        (D(2017, 1, 5), D(2017, 1, 6), {"window", "january"}),
        (D(2016, 12, 1), D(2016, 12, 25), set()),
        (D(2016, 12, 1), D(2016, 12, 26), {"window"}),
        (D(2017, 1, 11), None, {"january"}),
        (None, D(2016, 12, 31), {"window", "year-2015"}),
        (None, None, {"window", "january", "year-2015"}),
        (D(2015, 6, 1), D(2015, 6, 1), {"year-2015"}),
    ],
)
def test_overlap_matches_every_incident_whose_window_touches_the_range(make_incident, start, end, expected):
    make_incident(slug="window", occurred="2016-12-26/2017-01-10")
    make_incident(slug="january", occurred="2017-01")
    make_incident(slug="year-2015", occurred="2015")
    found = set(Incident.objects.overlapping(start, end).values_list("slug", flat=True))
    assert found == expected
