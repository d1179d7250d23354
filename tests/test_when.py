"""Tests for efficacy_tui.when: relative and absolute time phrases and periods."""
from datetime import datetime, timedelta

import pytest
from dateutil import tz

from efficacy_tui.when import WhenError, local_now, parse_range, parse_when

LONDON = tz.gettz("Europe/London")
NEW_YORK = tz.gettz("America/New_York")
# Tuesday 31 March 2026, two days after the UK clocks went forward (BST, +01:00).
NOW = datetime(2026, 3, 31, 10, 5, 7, tzinfo=LONDON)

GMT = timedelta(0)
BST = timedelta(hours=1)


def at(*args, zone=LONDON):
    return datetime(*args, tzinfo=zone)


def when(text, now=NOW, zone=LONDON):
    return parse_when(text, now=now, tz=zone)


def period(text, now=NOW, zone=LONDON):
    return parse_range(text, now=now, tz=zone)


def assert_same(got, expected):
    """Equal instants, same wall time and same UTC offset, microseconds dropped."""
    assert got == expected
    assert got.replace(tzinfo=None) == expected.replace(tzinfo=None)
    assert got.utcoffset() == expected.utcoffset()
    assert got.tzinfo is expected.tzinfo
    assert got.microsecond == 0


@pytest.mark.parametrize("text, expected", [
    ("now", at(2026, 3, 31, 10, 5, 7)),
    ("today", at(2026, 3, 31, 10, 5, 7)),
    ("yesterday", at(2026, 3, 30, 10, 5, 7)),
    ("tomorrow", at(2026, 4, 1, 10, 5, 7)),
    # Day arithmetic keeps the wall clock across the 29 March change.
    ("3 days ago", at(2026, 3, 28, 10, 5, 7)),
    ("1 day ago", at(2026, 3, 30, 10, 5, 7)),
    ("a day ago", at(2026, 3, 30, 10, 5, 7)),
    ("2 weeks ago", at(2026, 3, 17, 10, 5, 7)),
    ("1 week ago", at(2026, 3, 24, 10, 5, 7)),
    ("1 month ago", at(2026, 2, 28, 10, 5, 7)),
    ("2 months ago", at(2026, 1, 31, 10, 5, 7)),
    ("1 year ago", at(2025, 3, 31, 10, 5, 7)),
    ("3 hours ago", at(2026, 3, 31, 7, 5, 7)),
    ("an hour ago", at(2026, 3, 31, 9, 5, 7)),
    ("2 hrs ago", at(2026, 3, 31, 8, 5, 7)),
    ("1 hr ago", at(2026, 3, 31, 9, 5, 7)),
    ("10 minutes ago", at(2026, 3, 31, 9, 55, 7)),
    ("1 minute ago", at(2026, 3, 31, 10, 4, 7)),
    ("5 mins ago", at(2026, 3, 31, 10, 0, 7)),
    ("1 min ago", at(2026, 3, 31, 10, 4, 7)),
    ("in 5 minutes", at(2026, 3, 31, 10, 10, 7)),
    ("in 2 hours", at(2026, 3, 31, 12, 5, 7)),
    ("in an hour", at(2026, 3, 31, 11, 5, 7)),
    ("in 3 days", at(2026, 4, 3, 10, 5, 7)),
    ("in 2 weeks", at(2026, 4, 14, 10, 5, 7)),
    ("in a day", at(2026, 4, 1, 10, 5, 7)),
])
def test_relative_phrases(text, expected):
    assert_same(when(text), expected)


@pytest.mark.parametrize("text, expected", [
    # NOW is a Tuesday.
    ("tuesday", at(2026, 3, 31, 10, 5, 7)),
    ("tue", at(2026, 3, 31, 10, 5, 7)),
    ("monday", at(2026, 3, 30, 10, 5, 7)),
    ("mon", at(2026, 3, 30, 10, 5, 7)),
    ("wednesday", at(2026, 3, 25, 10, 5, 7)),
    ("sunday", at(2026, 3, 29, 10, 5, 7)),
    ("sat", at(2026, 3, 28, 10, 5, 7)),
    ("last tuesday", at(2026, 3, 24, 10, 5, 7)),
    ("last monday", at(2026, 3, 30, 10, 5, 7)),
    ("last friday", at(2026, 3, 27, 10, 5, 7)),
    ("last wed", at(2026, 3, 25, 10, 5, 7)),
    ("next tuesday", at(2026, 4, 7, 10, 5, 7)),
    ("next wednesday", at(2026, 4, 1, 10, 5, 7)),
    ("next friday", at(2026, 4, 3, 10, 5, 7)),
    ("next monday", at(2026, 4, 6, 10, 5, 7)),
    ("this monday", at(2026, 3, 30, 10, 5, 7)),
    ("this friday", at(2026, 4, 3, 10, 5, 7)),
    ("this sunday", at(2026, 4, 5, 10, 5, 7)),
    ("thursday", at(2026, 3, 26, 10, 5, 7)),
    ("thu", at(2026, 3, 26, 10, 5, 7)),
    ("thurs", at(2026, 3, 26, 10, 5, 7)),
    ("tues", at(2026, 3, 31, 10, 5, 7)),
])
def test_weekdays(text, expected):
    assert_same(when(text), expected)


@pytest.mark.parametrize("text, expected", [
    ("yesterday 5pm", at(2026, 3, 30, 17, 0)),
    ("yesterday at 5pm", at(2026, 3, 30, 17, 0)),
    ("yesterday 5 pm", at(2026, 3, 30, 17, 0)),
    ("5pm yesterday", at(2026, 3, 30, 17, 0)),
    ("last friday 9:30", at(2026, 3, 27, 9, 30)),
    ("last friday at 9:30am", at(2026, 3, 27, 9, 30)),
    ("tomorrow 09:00", at(2026, 4, 1, 9, 0)),
    ("friday 9am", at(2026, 3, 27, 9, 0)),
    ("today 17:45", at(2026, 3, 31, 17, 45)),
    ("5pm", at(2026, 3, 31, 17, 0)),
    ("at 5pm", at(2026, 3, 31, 17, 0)),
    ("9:15", at(2026, 3, 31, 9, 15)),
    ("noon", at(2026, 3, 31, 12, 0)),
    ("midnight", at(2026, 3, 31, 0, 0)),
    ("yesterday noon", at(2026, 3, 30, 12, 0)),
    ("yesterday at midnight", at(2026, 3, 30, 0, 0)),
    ("12am", at(2026, 3, 31, 0, 0)),
    ("12pm", at(2026, 3, 31, 12, 0)),
    ("12:30am", at(2026, 3, 31, 0, 30)),
    ("3 days ago 8am", at(2026, 3, 28, 8, 0)),
    ("in 2 days 18:00", at(2026, 4, 2, 18, 0)),
    ("next friday 9am", at(2026, 4, 3, 9, 0)),
    ("this sunday 23:59", at(2026, 4, 5, 23, 59)),
])
def test_day_with_time(text, expected):
    assert_same(when(text), expected)


@pytest.mark.parametrize("text, expected", [
    ("2026-10-01", at(2026, 10, 1, 10, 5, 7)),
    ("2026-10-01 14:00", at(2026, 10, 1, 14, 0)),
    ("2026-10-01T14:00:00", at(2026, 10, 1, 14, 0)),
    ("2026-10-01 14:00:30", at(2026, 10, 1, 14, 0, 30)),
    ("2026-10-01T14:00:00+02:00", at(2026, 10, 1, 13, 0)),
    ("2026-01-15T14:00:00Z", at(2026, 1, 15, 14, 0)),
    ("2026-10-01 14:00:00.123456", at(2026, 10, 1, 14, 0)),
    ("1 oct 2026", at(2026, 10, 1, 10, 5, 7)),
    ("oct 1", at(2026, 10, 1, 10, 5, 7)),
    ("October 1, 2026", at(2026, 10, 1, 10, 5, 7)),
    ("5th of march", at(2026, 3, 5, 10, 5, 7)),
    ("2026-10-01 5pm", at(2026, 10, 1, 17, 0)),
    ("oct 1 at 5pm", at(2026, 10, 1, 17, 0)),
    ("25/12/2026", at(2026, 12, 25, 10, 5, 7)),
    ("2025-12-25", at(2025, 12, 25, 10, 5, 7)),
    ("2028-02-29", at(2028, 2, 29, 10, 5, 7)),
    # A month alone is the start of the latest such month not in the future.
    ("march", at(2026, 3, 1, 0, 0)),
    ("may", at(2025, 5, 1, 0, 0)),
    ("oct 2026", at(2026, 10, 1, 0, 0)),
])
def test_absolute_dates(text, expected):
    assert_same(when(text), expected)


@pytest.mark.parametrize("text, expected", [
    ("YESTERDAY 5PM", at(2026, 3, 30, 17, 0)),
    ("  Yesterday   At   5pm  ", at(2026, 3, 30, 17, 0)),
    ("Last  Friday", at(2026, 3, 27, 10, 5, 7)),
    ("\t3  Days\nAgo ", at(2026, 3, 28, 10, 5, 7)),
    ("NOW", at(2026, 3, 31, 10, 5, 7)),
    ("In An Hour", at(2026, 3, 31, 11, 5, 7)),
    ("1 OCT 2026", at(2026, 10, 1, 10, 5, 7)),
    (" 2026-10-01t14:00 ", at(2026, 10, 1, 14, 0)),
    ("NEXT FRI 9AM", at(2026, 4, 3, 9, 0)),
])
def test_case_and_spacing(text, expected):
    assert_same(when(text), expected)


def test_day_arithmetic_across_spring_forward_keeps_wall_clock():
    now = at(2026, 3, 31, 10, 0)
    got = when("3 days ago", now=now)
    assert now.utcoffset() == BST
    assert_same(got, at(2026, 3, 28, 10, 0))
    assert got.utcoffset() == GMT
    assert now.astimezone(tz.UTC) - got.astimezone(tz.UTC) == timedelta(days=3, hours=-1)


def test_day_arithmetic_across_fall_back_keeps_wall_clock():
    now = at(2026, 10, 27, 9, 0)  # after the 25 October change, GMT
    got = when("3 days ago", now=now)
    assert now.utcoffset() == GMT
    assert_same(got, at(2026, 10, 24, 9, 0))
    assert got.utcoffset() == BST
    assert_same(when("next sunday 9am", now=at(2026, 10, 20, 9, 0)), at(2026, 10, 25, 9, 0))
    assert when("next sunday 9am", now=at(2026, 10, 20, 9, 0)).utcoffset() == GMT


def test_hours_are_elapsed_time_across_a_change():
    now = at(2026, 3, 29, 3, 30)  # 02:30 UTC, just after clocks went forward
    got = when("3 hours ago", now=now)
    assert_same(got, at(2026, 3, 28, 23, 30))
    assert now.astimezone(tz.UTC) - got.astimezone(tz.UTC) == timedelta(hours=3)


def test_time_that_does_not_exist_moves_forward():
    # New York skips 02:00-03:00 on 8 March 2026.
    now = at(2026, 3, 7, 12, 0, zone=NEW_YORK)
    got = when("tomorrow 2:30am", now=now, zone=NEW_YORK)
    assert_same(got, at(2026, 3, 8, 3, 30, zone=NEW_YORK))
    assert got.utcoffset() == timedelta(hours=-4)


def test_repeated_time_takes_the_first_occurrence():
    got = when("yesterday 1:30am", now=at(2026, 10, 26, 12, 0))
    assert got.replace(tzinfo=None) == datetime(2026, 10, 25, 1, 30)
    assert got.utcoffset() == BST


@pytest.mark.parametrize("text, expected, offset", [
    ("3 days ago", at(2026, 3, 6, 10, 0, zone=NEW_YORK), timedelta(hours=-5)),
    ("yesterday 5pm", at(2026, 3, 8, 17, 0, zone=NEW_YORK), timedelta(hours=-4)),
    ("last friday", at(2026, 3, 6, 10, 0, zone=NEW_YORK), timedelta(hours=-5)),
    ("2026-10-01T14:00:00+02:00", at(2026, 10, 1, 8, 0, zone=NEW_YORK), timedelta(hours=-4)),
    ("2026-12-01", at(2026, 12, 1, 10, 0, zone=NEW_YORK), timedelta(hours=-5)),
])
def test_new_york(text, expected, offset):
    now = at(2026, 3, 9, 10, 0, zone=NEW_YORK)  # Monday after the 8 March change
    got = when(text, now=now, zone=NEW_YORK)
    assert_same(got, expected)
    assert got.utcoffset() == offset


def test_now_in_another_zone_is_converted():
    now_utc = datetime(2026, 3, 31, 23, 30, tzinfo=tz.UTC)  # 00:30 on 1 April in London
    assert_same(when("today", now=now_utc), at(2026, 4, 1, 0, 30))
    assert_same(when("yesterday 5pm", now=now_utc), at(2026, 3, 31, 17, 0))


def test_naive_now_is_wall_time_in_zone():
    assert_same(when("yesterday", now=datetime(2026, 3, 31, 10, 0)), at(2026, 3, 30, 10, 0))


def test_defaults_are_aware_and_local():
    got = parse_when("now")
    assert got.tzinfo is not None and got.microsecond == 0
    assert abs(got - datetime.now(tz.tzlocal())) < timedelta(seconds=5)
    assert parse_when("today", tz=NEW_YORK).tzinfo is NEW_YORK
    here = local_now()
    assert here.tzinfo is not None and here.microsecond == 0
    assert local_now(NEW_YORK).tzinfo is NEW_YORK


BAD_TIMES = [
    "",
    "   ",
    "banana",
    "maybe",
    "32 days from never",
    "2026-13-45",
    "0 days agoo",
    "12",
    "2026",
    "soon",
    "yesterday banana",
    "3 dayz ago",
    "days ago",
    "in",
    "next",
    "last",
    "ago",
    "25:00",
    "13pm",
    "0am",
    "tomorrow 9:75",
    "now 5pm",
    "3 hours ago 5pm",
    "friday friday",
    "2026-02-30",
    "feb 29",
    "99999999 days ago",
    "in 99999999999 weeks",
    "9999-12-31T23:00:00-05:00",
    "march 5 banana",
    ".2026-10-31",
    "2026-10-31.",
    "nextfriday",
    "until friday",
]


@pytest.mark.parametrize("text", BAD_TIMES)
def test_unreadable_times_raise(text):
    with pytest.raises(WhenError) as caught:
        when(text)
    message = str(caught.value)
    assert f'"{" ".join(text.split())}"' in message
    assert message.count(". ") == 0 and message.endswith(".")
    assert "yesterday 5pm" in message


@pytest.mark.parametrize("text", ["01/02/2026", "1/2", "3.4.2026", "1 2 3", "01/02/2026 14:00"])
def test_ambiguous_numeric_dates_raise(text):
    with pytest.raises(WhenError) as caught:
        when(text)
    message = str(caught.value)
    assert f'"{text}"' in message and "2026-10-01" in message
    assert message.count(". ") == 0 and message.endswith(".")


def test_when_error_is_a_value_error():
    assert issubclass(WhenError, ValueError)


def day(y, m, d, zone=LONDON):
    return datetime(y, m, d, tzinfo=zone)


@pytest.mark.parametrize("text, start, end", [
    ("today", day(2026, 3, 31), day(2026, 4, 1)),
    ("yesterday", day(2026, 3, 30), day(2026, 3, 31)),
    ("this week", day(2026, 3, 30), day(2026, 4, 6)),
    ("last week", day(2026, 3, 23), day(2026, 3, 30)),
    ("this month", day(2026, 3, 1), day(2026, 4, 1)),
    ("last month", day(2026, 2, 1), day(2026, 3, 1)),
    ("this year", day(2026, 1, 1), day(2027, 1, 1)),
    ("last year", day(2025, 1, 1), day(2026, 1, 1)),
    ("last 7 days", day(2026, 3, 25), day(2026, 4, 1)),
    ("last 1 day", day(2026, 3, 31), day(2026, 4, 1)),
    ("last 30 days", day(2026, 3, 2), day(2026, 4, 1)),
    ("past 30 days", day(2026, 3, 2), day(2026, 4, 1)),
    ("last 2 weeks", day(2026, 3, 18), day(2026, 4, 1)),
    ("last 3 months", day(2026, 1, 1), day(2026, 4, 1)),
    ("past 1 month", day(2026, 3, 1), day(2026, 4, 1)),
    ("last 1 year", day(2025, 4, 1), day(2026, 4, 1)),
    ("2026-10", day(2026, 10, 1), day(2026, 11, 1)),
    ("from march", day(2026, 3, 1), None),
    ("after 2026-03-20", day(2026, 3, 21), None),
    ("2026-10-01 to 2026-10-31", day(2026, 10, 1), day(2026, 11, 1)),
    ("january to february", day(2026, 1, 1), day(2026, 3, 1)),
    ("since march", day(2026, 3, 1), None),
    ("since may", day(2025, 5, 1), None),
    ("since monday", day(2026, 3, 30), None),
    ("since 2026-10-01", day(2026, 10, 1), None),
    ("since last friday", day(2026, 3, 27), None),
    ("since yesterday 5pm", day(2026, 3, 30), None),
    ("since last week", day(2026, 3, 23), None),
    ("until 2026-10-01", None, day(2026, 10, 1)),
    ("before 2026-10-01", None, day(2026, 10, 1)),
    ("until yesterday", None, day(2026, 3, 30)),
    ("before march", None, day(2026, 3, 1)),
    ("2026-10-01..2026-10-31", day(2026, 10, 1), day(2026, 11, 1)),
    ("2026-10-01 .. 2026-10-31", day(2026, 10, 1), day(2026, 11, 1)),
    ("2026-10-01..2026-10-01", day(2026, 10, 1), day(2026, 10, 2)),
    ("last friday..yesterday", day(2026, 3, 27), day(2026, 3, 31)),
    ("jan..feb", day(2026, 1, 1), day(2026, 3, 1)),
    ("2026-10-01..", day(2026, 10, 1), None),
    ("..2026-10-01", None, day(2026, 10, 2)),
    ("march", day(2026, 3, 1), day(2026, 4, 1)),
    ("dec", day(2025, 12, 1), day(2026, 1, 1)),
    ("oct 2026", day(2026, 10, 1), day(2026, 11, 1)),
    ("February 2024", day(2024, 2, 1), day(2024, 3, 1)),
    ("2026-10-01", day(2026, 10, 1), day(2026, 10, 2)),
    ("2026-10-01 14:00", day(2026, 10, 1), day(2026, 10, 2)),
    ("last friday", day(2026, 3, 27), day(2026, 3, 28)),
    ("3 days ago", day(2026, 3, 28), day(2026, 3, 29)),
    ("  LAST   7  Days ", day(2026, 3, 25), day(2026, 4, 1)),
    ("Since  March", day(2026, 3, 1), None),
    ("This Week", day(2026, 3, 30), day(2026, 4, 6)),
])
def test_ranges(text, start, end):
    got_start, got_end = period(text)
    for got, expected in ((got_start, start), (got_end, end)):
        if expected is None:
            assert got is None
        else:
            assert_same(got, expected)


def test_range_offsets_follow_each_day():
    start, end = period("last 7 days")
    assert start.utcoffset() == GMT  # 25 March, before the change
    assert end.utcoffset() == BST
    assert end.astimezone(tz.UTC) - start.astimezone(tz.UTC) == timedelta(days=7, hours=-1)
    start, end = period("2026-10-01..2026-10-31")
    assert (start.utcoffset(), end.utcoffset()) == (BST, GMT)


def test_range_in_new_york():
    now = at(2026, 3, 9, 10, 0, zone=NEW_YORK)
    start, end = parse_range("this week", now=now, tz=NEW_YORK)
    assert_same(start, day(2026, 3, 9, zone=NEW_YORK))
    assert_same(end, day(2026, 3, 16, zone=NEW_YORK))
    start, end = parse_range("last week", now=now, tz=NEW_YORK)
    assert start.utcoffset() == timedelta(hours=-5)
    assert end.utcoffset() == timedelta(hours=-4)


def test_since_a_future_month_means_last_year():
    now = at(2026, 2, 10, 12, 0)
    assert period("since march", now=now) == (day(2025, 3, 1), None)
    assert period("march", now=now) == (day(2025, 3, 1), day(2025, 4, 1))


def test_range_default_zone_is_local():
    start, end = parse_range("today")
    assert start.tzinfo is not None and end.tzinfo is not None
    assert start <= datetime.now(tz.tzlocal()) < end


@pytest.mark.parametrize("text", [
    "2026-10-31..2026-10-01",
    "tomorrow..yesterday",
    "next friday..monday",
    "oct 2026..march",
])
def test_backwards_range_raises(text):
    with pytest.raises(WhenError) as caught:
        period(text)
    assert str(caught.value) == f'The range "{text}" ends before it starts.'


def test_backwards_range_message():
    with pytest.raises(WhenError, match=r'^The range "2026-10-31\.\.2026-10-01" ends before it starts\.$'):
        period("2026-10-31..2026-10-01")


BAD_PERIODS = [
    "",
    "banana",
    "since banana",
    "since",
    "until",
    "before never",
    "..",
    "2026-10-01..banana",
    "banana..2026-10-01",
    "last 0 days",
    "last 0 months",
    "2026-13",
    "march to",
    "after",
    "last -3 days",
    "past week days",
    "this decade",
    "next week",
    "last 99999999 weeks",
    "2026-13-45",
    "2026-10-01...2026-10-31",
]


@pytest.mark.parametrize("text", BAD_PERIODS)
def test_unreadable_periods_raise(text):
    with pytest.raises(WhenError) as caught:
        period(text)
    message = str(caught.value)
    assert f'"{text}"' in message
    assert message.count(". ") == 0 and message.endswith(".")
    assert "last 7 days" in message


def test_ambiguous_date_in_a_range_names_the_date():
    with pytest.raises(WhenError, match=r'"01/02/2026" could be read two ways'):
        period("since 01/02/2026")


def test_a_bare_weekday_is_the_coming_one_when_scheduling():
    from datetime import datetime

    from efficacy_tui.when import parse_when

    thursday = datetime(2026, 11, 26, 9, 30).astimezone()
    assert parse_when("friday 9am", thursday, ahead=True).date().isoformat() == "2026-11-27"
    assert parse_when("friday 9am", thursday).date().isoformat() == "2026-11-20"
    assert parse_when("thursday 8am", thursday, ahead=True).date().isoformat() == "2026-12-03"
    assert parse_when("thursday 11am", thursday, ahead=True).date().isoformat() == "2026-11-26"
    assert parse_when("yesterday", thursday, ahead=True).date().isoformat() == "2026-11-25"
