"""Địa danh và thời gian ban hành (Phụ lục I, Mục II, khoản 4) — nd30.md §2.2."""

from __future__ import annotations

import datetime as dt
import re
from functools import lru_cache

# Times are told in Vietnam's time zone (ISO 8601, +07:00; no daylight saving), as the decree asks.
VIETNAM = dt.timezone(dt.timedelta(hours=7))


def today_in_vietnam() -> dt.date:
    """The calendar day in Vietnam now: a register's allocation date, whatever the machine's zone."""
    return dt.datetime.now(VIETNAM).date()


# Blank date for e-office stamping: the system stamps the signing date.
_BLANK = "\u00a0" * 5


def day_text(day: int) -> str:
    """Day of month: leading zero below 10 ('05')."""
    return f"{day:02d}"


def month_text(month: int) -> str:
    """Months 1 and 2 take a leading zero ('01', '02'); 3–12 do not ('3' … '12')."""
    return f"{month:02d}" if month <= 2 else str(month)


def date_phrase(date: dt.date | None, year: int | None = None) -> str:
    """'ngày 05 tháng 02 năm 2021'; blank day and month (year kept if known) when undated."""
    if date is None:
        return f"ngày{_BLANK}tháng{_BLANK}năm {year}" if year else f"ngày{_BLANK}tháng{_BLANK}năm{_BLANK}"
    return f"ngày {day_text(date.day)} tháng {month_text(date.month)} năm {date.year}"


def date_line(place: str, date: dt.date | None, year: int | None = None) -> str:
    """Ô 4: 'Lạng Sơn, ngày 05 tháng 02 năm 2021' — place, comma, full date in Arabic digits."""
    return f"{place.strip()}, {date_phrase(date, year)}"


DATE_LINE_PATTERN = re.compile(
    r"^(?P<place>[^,]+), ngày (?P<d>\d{1,2}) tháng (?P<m>\d{1,2}) năm (?P<y>\d{4})$"
)


def parse_date_line(text: str) -> tuple[str, dt.date | None, list[str]]:
    """Read a date line back: (place, date or None, problems found in its form)."""
    match = DATE_LINE_PATTERN.match(text.strip())
    if not match:
        return "", None, ["not in the form 'Địa danh, ngày dd tháng mm năm yyyy'"]
    problems = []
    d, m, y = match["d"], match["m"], match["y"]
    if d != day_text(int(d)):
        problems.append(f"day '{d}' should be written '{day_text(int(d))}'")
    try:
        date = dt.date(int(y), int(m), int(d))
    except ValueError:
        return match["place"], None, [f"{d}/{m}/{y} is not a date"]
    if m != month_text(int(m)):
        problems.append(f"month '{m}' should be written '{month_text(int(m))}'")
    return match["place"], date, problems


class ImpossibleDate(ValueError):  # noqa: N818 - reads as what the text is
    """Written in the right form, but no such day: 30/02/2025, 12/13/2025."""

    def __init__(self, day: int, month: int, year: int):
        super().__init__(f"{day}/{month}/{year}")
        self.day, self.month, self.year = day, month, year


def _date(year: int, month: int, day: int) -> dt.date:
    try:
        return dt.date(year, month, day)
    except ValueError:
        raise ImpossibleDate(day, month, year) from None


def parse_record_date(text: str) -> dt.date:
    """A date as clerks type it: 'dd/mm/yyyy' (never month-first) or ISO 'yyyy-mm-dd'."""
    text = text.strip()
    match = re.fullmatch(r"(\d{1,2})[/.-](\d{1,2})[/.-](\d{4})", text)
    if match:
        day, month, year = (int(g) for g in match.groups())
        return _date(year, month, day)
    match = re.fullmatch(r"(\d{4})-(\d{1,2})-(\d{1,2})", text)
    if match:
        year, month, day = (int(g) for g in match.groups())
        return _date(year, month, day)
    raise ValueError(text)


def parse_record_datetime(text: str) -> dt.datetime:
    """'20/09/2021 09:00', '2021-09-20 09:00' or '2021-09-20T09:00'."""
    text = text.strip()
    match = re.fullmatch(r"(.+?)[ T](\d{1,2})[:hg](\d{2})(?::(\d{2}))?", text)
    if not match:
        return dt.datetime.combine(parse_record_date(text), dt.time(0, 0))
    day = parse_record_date(match[1])
    return dt.datetime(day.year, day.month, day.day, int(match[2]), int(match[3]), int(match[4] or 0))


def time_phrase(moment: dt.datetime) -> str:
    """'09 giờ 00 phút, ngày 20 tháng 9 năm 2021' — how invitations state the time."""
    return f"{moment.hour:02d} giờ {moment.minute:02d} phút, {date_phrase(moment.date())}"


@lru_cache(maxsize=256)  # a batch has few place names
def date_line_condense_pt(place: str) -> float | None:
    """How much closer (pt per letter) the date line of `place` is set so that its longest date
    stays on one line in the header's right column: 0 when it fits, None when it cannot."""
    from ..textwidth import text_width_mm
    from . import layout

    e = layout.ELEMENTS["dia_danh_ngay"]
    longest = place + layout.LONGEST_DATE_TEXT
    over_mm = text_width_mm(longest, e.size, e.bold, e.italic) - layout.HEADER_RIGHT_COLUMN_MM
    if over_mm <= 0:
        return 0.0
    per_letter = over_mm * 72 / 25.4 / max(len(longest) - 1, 1)
    return per_letter if per_letter <= layout.DATE_LINE_MAX_CONDENSE_PT else None
