"""Date ranges of the dashboard's sections, and the calendar arithmetic the figures share.

A range is inclusive at both ends. One ending before it starts is refused with the same field
error in the forms and the API, so nothing is run or saved for it.
"""

from dataclasses import dataclass
from datetime import date, timedelta

from django.utils.translation import gettext as _

from openprm.core.errors import field_error

DEFAULT_DAYS = 90
MAX_DAYS = 366 * 5


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __post_init__(self) -> None:
        if self.end < self.start:
            raise field_error("end", _("The date range ends before it starts."), "range_reversed")
        if (self.end - self.start).days > MAX_DAYS:
            raise field_error("end", _("A date range covers at most five years."), "range_too_long")

    @classmethod
    def ending(cls, day: date, days: int = DEFAULT_DAYS) -> "Period":
        """The `days` days up to and including `day`."""
        return cls(start=day - timedelta(days=days - 1), end=day)


def add_months(day: date, months: int) -> date:
    """The same day `months` later (or earlier), clamped to the month's last day."""
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    last = (date(year + (month == 12), month % 12 + 1, 1) - timedelta(days=1)).day
    return date(year, month, min(day.day, last))
