"""The AlloNantes line's hours: open, closed, holidays, next opening, across DST changes."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest

from directory.hours import is_open, next_opening
from directory.model import OpeningSlot, PhoneLine

PARIS = ZoneInfo("Europe/Paris")
ZONE = "Europe/Paris"
WEEKDAYS = tuple(OpeningSlot(day, time(9), time(18)) for day in range(5))
LINE = PhoneLine(name="AlloNantes Discriminations", number="02 40 41 95 96", slots=WEEKDAYS)


def paris(*args: int) -> datetime:
    return datetime(*args, tzinfo=PARIS)  # type: ignore[misc]


@pytest.mark.parametrize(
    ("moment", "expected"),
    [
        (paris(2026, 3, 2, 10, 0), True),  # Monday 10:00
        (paris(2026, 3, 2, 9, 0), True),  # opening minute
        (paris(2026, 3, 2, 8, 59), False),
        (paris(2026, 3, 2, 18, 0), False),  # closing time is closed
        (paris(2026, 3, 2, 18, 30), False),
        (paris(2026, 3, 7, 11, 0), False),  # Saturday
        (paris(2026, 7, 14, 11, 0), False),  # Tuesday, Fête nationale
        (paris(2026, 12, 25, 11, 0), False),  # Friday, Christmas
        (paris(2026, 12, 24, 11, 0), True),  # Thursday before Christmas
    ],
)
def test_is_open(moment: datetime, expected: bool) -> None:
    assert is_open(LINE, moment, ZONE) is expected


def test_now_in_another_zone_is_converted() -> None:
    # 08:30 UTC on a Monday in winter is 09:30 in Paris.
    assert is_open(LINE, datetime(2026, 3, 2, 8, 30, tzinfo=UTC), ZONE)


def test_holidays_count_only_when_the_line_follows_them() -> None:
    working = PhoneLine("x", "02 40 41 95 96", WEEKDAYS, public_holidays=False)
    assert is_open(working, paris(2026, 7, 14, 11, 0), ZONE)


def test_closed_dates_close_the_line() -> None:
    bridge = PhoneLine("x", "02 40 41 95 96", WEEKDAYS, closed_dates=(date(2026, 3, 3),))
    assert not is_open(bridge, paris(2026, 3, 3, 11, 0), ZONE)
    assert next_opening(bridge, paris(2026, 3, 2, 19, 0), ZONE) == paris(2026, 3, 4, 9, 0)


def test_next_opening_from_friday_evening_is_monday_morning() -> None:
    found = next_opening(LINE, paris(2026, 3, 6, 19, 0), ZONE)
    assert found == paris(2026, 3, 9, 9, 0)
    assert found is not None and found.tzinfo is not None


def test_next_opening_when_open_is_now() -> None:
    now = paris(2026, 3, 2, 10, 0)
    assert next_opening(LINE, now, ZONE) == now


def test_next_opening_later_the_same_day() -> None:
    assert next_opening(LINE, paris(2026, 3, 2, 7, 0), ZONE) == paris(2026, 3, 2, 9, 0)


def test_next_opening_skips_christmas_and_the_weekend() -> None:
    # Thursday 24 Dec 2026 after closing: Friday 25 is Christmas, then the weekend.
    assert next_opening(LINE, paris(2026, 12, 24, 18, 30), ZONE) == paris(2026, 12, 28, 9, 0)


def test_next_opening_across_the_spring_dst_change() -> None:
    friday = paris(2026, 3, 27, 19, 0)  # CET, UTC+1; clocks go forward on Sunday 29 March
    found = next_opening(LINE, friday, ZONE)
    assert found == paris(2026, 3, 30, 9, 0)
    assert found is not None
    assert found.utcoffset() == timedelta(hours=2)
    assert found.astimezone(UTC) - friday.astimezone(UTC) == timedelta(
        days=2, hours=13
    )


def test_next_opening_across_the_autumn_dst_change() -> None:
    friday = paris(2026, 10, 23, 19, 0)  # CEST; clocks go back on Sunday 25 October
    found = next_opening(LINE, friday, ZONE)
    assert found is not None
    assert (found.hour, found.utcoffset()) == (9, timedelta(hours=1))
    assert found.date() == date(2026, 10, 26)


def test_no_opening_within_the_search_window_is_none() -> None:
    assert next_opening(PhoneLine("x", "", ()), paris(2026, 3, 2, 10, 0), ZONE) is None


def test_naive_datetimes_are_a_bug() -> None:
    with pytest.raises(ValueError, match="aware"):
        is_open(LINE, datetime(2026, 3, 2, 10, 0), ZONE)
