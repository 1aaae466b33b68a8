"""When the territory's phone line answers: open now, and when it next opens.

Rule: the current time is always passed in as an aware datetime (nothing here reads the clock),
and every comparison is made in the territory's wall-clock time, so a line open 9:00–18:00 stays
open 9:00–18:00 across daylight-saving changes. Public holidays come from the `holidays` package
for the territory's country; closed dates come from the territory file.
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from functools import lru_cache
from zoneinfo import ZoneInfo

import holidays

from directory.model import OpeningSlot, PhoneLine

SEARCH_DAYS = 31
"""How far ahead `next_opening` looks; a line closed for longer is treated as closed."""


def is_open(line: PhoneLine, now: datetime, timezone: str, *, country: str = "FR") -> bool:
    """Whether someone answers the line at `now`."""
    local = _local(now, timezone)
    if _closed_day(line, local.date(), country):
        return False
    moment = local.time()
    return any(slot.start <= moment < slot.end for slot in _slots_on(line, local.date()))


def next_opening(
    line: PhoneLine, now: datetime, timezone: str, *, country: str = "FR"
) -> datetime | None:
    """The next moment the line answers, in the territory's zone; `now` itself when open.

    None when the line has no opening in the next `SEARCH_DAYS` days (no slots, long closure).
    """
    local = _local(now, timezone)
    zone = ZoneInfo(timezone)
    for offset in range(SEARCH_DAYS + 1):
        day = local.date() + timedelta(days=offset)
        if _closed_day(line, day, country):
            continue
        for slot in _slots_on(line, day):
            if offset == 0 and slot.end <= local.time():
                continue
            if offset == 0 and slot.start <= local.time():
                return local
            return datetime.combine(day, slot.start, tzinfo=zone)
    return None


def _local(now: datetime, timezone: str) -> datetime:
    if now.tzinfo is None or now.utcoffset() is None:
        raise ValueError("`now` must be an aware datetime (with a time zone)")
    return now.astimezone(ZoneInfo(timezone))


def _slots_on(line: PhoneLine, day: date) -> list[OpeningSlot]:
    weekday = day.weekday()
    return sorted((s for s in line.slots if s.weekday == weekday), key=lambda s: s.start)


def _closed_day(line: PhoneLine, day: date, country: str) -> bool:
    if day in line.closed_dates:
        return True
    return line.public_holidays and day in _public_holidays(country, day.year)


@lru_cache(maxsize=32)
def _public_holidays(country: str, year: int) -> frozenset[date]:
    """The country's public holidays for one year; cached because the calendar never changes."""
    return frozenset(holidays.country_holidays(country, years=year))
