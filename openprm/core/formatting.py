"""Numbers, money, percentages, dates and names of countries and currencies as the reader's
language writes them (Babel's CLDR data), the same on pages, in emails and on charts.

One style per kind of value and locale: a day is CLDR's medium date (Dec 1, 2026; 2026/12/01;
2026年12月1日; 1 ธ.ค. 2026), a moment that day with the short time in the reader's timezone, a
month the year-and-abbreviated-month skeleton. Money carries its own currency's decimals (no
cents for JPY). Exports stay machine-readable and do not come through here.
"""

import datetime
import functools
from collections.abc import Iterator
from decimal import Decimal

from babel import Locale, UnknownLocaleError
from babel import dates as babel_dates
from babel import numbers as babel_numbers
from django.conf import settings
from django.utils import timezone, translation
from django_countries import countries

from openprm.core.money import from_minor

Number = int | Decimal | float


@functools.cache
def babel_locale(language: str) -> Locale:
    """The Babel locale of a Django language code: zh-hant -> zh_Hant; English when unknown."""
    try:
        return Locale.parse(translation.to_locale(language))
    except (UnknownLocaleError, ValueError):
        return Locale.parse(translation.to_locale(settings.LANGUAGE_CODE))


def current_locale() -> Locale:
    return babel_locale(translation.get_language() or settings.LANGUAGE_CODE)


def format_money(amount: Number, currency: str, locale: Locale | None = None) -> str:
    """875,944.83 USD as $875,944.83 in English, 3385000 JPY as ￥3,385,000 in Japanese."""
    return babel_numbers.format_currency(
        Decimal(amount), currency.upper(), locale=locale or current_locale()
    )


def format_minor(minor: int | None, currency: str, locale: Locale | None = None) -> str:
    """An amount kept in minor units; a dash when there is none."""
    if minor is None:
        return "—"
    return format_money(from_minor(minor, currency), currency, locale)


def format_number(
    value: Number, locale: Locale | None = None, *, decimals: int | None = None
) -> str:
    """Grouped as the locale groups; `decimals` fixes the places shown (points: 2)."""
    locale = locale or current_locale()
    if decimals is None:
        return babel_numbers.format_decimal(value, locale=locale)
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return babel_numbers.format_decimal(Decimal(value), format=pattern, locale=locale)


def format_signed(value: Number, locale: Locale | None = None, *, decimals: int = 2) -> str:
    """A change: +250.00, -12.50, 0.00."""
    shown = format_number(value, locale, decimals=decimals)
    return f"+{shown}" if value > 0 else shown


def format_percent(value: Number, locale: Locale | None = None, *, of_hundred: bool = True) -> str:
    """A percentage given out of 100 (50 -> 50%) unless `of_hundred` is False (0.5 -> 50%)."""
    fraction = Decimal(value) / 100 if of_hundred else Decimal(value)
    return babel_numbers.format_percent(
        fraction, format="#,##0.#%", locale=locale or current_locale()
    )


def format_date(day: datetime.date, locale: Locale | None = None) -> str:
    """A day; a time is first taken to the reader's timezone, whose day it is."""
    if isinstance(day, datetime.datetime):
        day = timezone.localtime(day) if timezone.is_aware(day) else day
        day = day.date()
    return babel_dates.format_date(day, "medium", locale=locale or current_locale())


def format_datetime(moment: datetime.datetime, locale: Locale | None = None) -> str:
    """A moment in the reader's timezone: the day's style with the short time of day."""
    locale = locale or current_locale()
    if timezone.is_aware(moment):
        moment = timezone.localtime(moment)
    day = babel_dates.format_date(moment.date(), "medium", locale=locale)
    time = babel_dates.format_time(moment.time(), "short", locale=locale)
    pattern = str(locale.datetime_formats["medium"]).replace("'", "")
    return pattern.replace("{0}", time).replace("{1}", day)


def format_month(day: datetime.date, locale: Locale | None = None) -> str:
    """A month: Dec 2026, 2026年12月."""
    return babel_dates.format_skeleton("yMMM", day, locale=locale or current_locale())


def country_name(code: str, locale: Locale | None = None) -> str:
    """The country's name in the reader's language; the code itself if CLDR has none."""
    code = str(code or "").upper()
    if not code:
        return ""
    return (locale or current_locale()).territories.get(code, code)


def currency_name(code: str, locale: Locale | None = None) -> str:
    code = str(code or "").upper()
    if not code:
        return ""
    return (locale or current_locale()).currencies.get(code, code)


def currency_label(code: str, locale: Locale | None = None) -> str:
    """How a currency select names one: its code, which people type and see on amounts, and
    its name in the reader's language ("JPY — Japanese Yen", "JPY — 日本円")."""
    code = str(code or "").upper()
    name = currency_name(code, locale)
    return f"{code} — {name}" if name and name != code else code


def country_choices() -> Iterator[tuple[str, str]]:
    """django-countries' codes named and sorted in the reader's language, for a form's select
    (its own catalogs have no Thai); a callable, so each request gets its own language."""
    locale = current_locale()
    named = [(code, country_name(code, locale)) for code in countries.countries]
    return iter(sorted(named, key=lambda pair: pair[1]))
