"""The stored-date reader checks a text's shape by hand, without `re` (the shell-prompt line
imports it): it must agree with the shapes it replaced, written as regular expressions."""

import re
from datetime import date, datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from efficacy_tui import stamps

DAY = re.compile(r"\d{4}-\d{2}-\d{2}")
MOMENT = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d{1,6})?)?(Z|[+-]\d{2}:\d{2})?")


def by_regex_moment(text: str) -> datetime | None:
    if not MOMENT.fullmatch(text):
        return None
    try:
        return datetime.fromisoformat(text)
    except ValueError:
        return None


def by_regex_day(text: str) -> date | None:
    if DAY.fullmatch(text):
        try:
            return date.fromisoformat(text)
        except ValueError:
            return None
    found = by_regex_moment(text)
    return found.date() if found is not None else None


# Pieces of dates, near misses and look-alikes (Arabic-Indic and full-width digits).
PIECES = ["2026", "-", "11", "26", "T", "09", ":", "30", "00", ".", "5", "123456", "1234567",
          "Z", "+", "01", "99", "٢٠٢٦", "１１", " ", "t", "z", "", "0"]
TEXTS = st.lists(st.sampled_from(PIECES), max_size=14).map("".join)
REAL = ["2026-11-26", "2026-11-26T09:30", "2026-11-26T09:30:00", "2026-11-26T09:30:00.5",
        "2026-11-26T09:30:00.123456+00:00", "2026-11-26T09:30Z", "2026-11-26T09:30-05:30",
        "2026-11-39", "2026-11-26T99:30", "2026-11-26T09:30:00.1234567", "2026-11-26T09:30:00.",
        "٢٠٢٦-١١-٢٦", "2026-11-26T09:30+0100", "2026-11-26 09:30"]


@settings(max_examples=400, deadline=None)
@given(TEXTS)
def test_the_hand_check_agrees_with_the_regular_expressions(text):
    assert stamps.moment(text) == by_regex_moment(text)
    assert stamps.day(text) == by_regex_day(text)
    assert stamps.is_readable("day", text) == (DAY.fullmatch(text) is not None
                                               and by_regex_day(text) is not None)


def test_real_and_nearly_real_dates_read_as_before():
    for text in REAL:
        assert stamps.moment(text) == by_regex_moment(text), text
        assert stamps.day(text) == by_regex_day(text), text
