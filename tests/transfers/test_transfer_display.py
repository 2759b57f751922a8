"""The filters that show a transfer document's ISO dates and kind codes in words."""

from __future__ import annotations

import datetime as dt

from django.template.defaultfilters import date as date_filter

from transfers.templatetags.transfer_display import kind_label, moment, record_heading


def test_moments_are_read_in_local_time_and_bad_ones_shown_as_they_came(settings) -> None:
    settings.TIME_ZONE = "Europe/London"
    summer = moment("2026-07-01T09:30:00+00:00")
    assert date_filter(summer, "j F Y, H:i") == "1 July 2026, 10:30"
    assert moment("2011-09-22") == dt.date(2011, 9, 22)
    assert moment("2026-02-30T09:00:00+00:00") == "2026-02-30T09:00:00+00:00"
    assert moment("not a date") == "not a date"
    assert moment(None) is None


def test_kinds_are_words_and_an_unknown_one_is_readable() -> None:
    assert kind_label("parent_contact") == "Parent contact"
    assert kind_label("sign_off") == "Headteacher's sign-off"
    assert kind_label("court_order") == "Court order"


def test_a_heading_names_the_reference_once() -> None:
    record = {"reference": "RA-2026-0001", "title": "Incident RA-2026-0001: Reported by a parent"}
    assert record_heading(record) == "Incident RA-2026-0001: Reported by a parent"
    assert record_heading({"reference": "RA-C-2026-0002", "title": "Concern"}) == (
        "RA-C-2026-0002: Concern"
    )
