"""Money, numbers, percentages and days as each of the four languages writes them."""

import datetime
from decimal import Decimal

import pytest
from django.template import Context, Template
from django.utils import timezone, translation

from openprm.core.formatting import (
    babel_locale,
    country_choices,
    country_name,
    currency_label,
    currency_name,
    format_date,
    format_datetime,
    format_minor,
    format_money,
    format_month,
    format_number,
    format_percent,
    format_signed,
)

EN, JA, ZH, TH = (babel_locale(code) for code in ("en", "ja", "zh-hant", "th"))
DAY = datetime.date(2026, 12, 1)
# 23:30 UTC on 30 November: 08:30 on 1 December in Tokyo.
LATE = datetime.datetime(2026, 11, 30, 23, 30, tzinfo=datetime.UTC)


@pytest.mark.parametrize(
    ("locale", "dollars", "yen"),
    [
        (EN, "$875,944.83", "¥3,385,000"),
        (JA, "$875,944.83", "￥3,385,000"),
        (ZH, "US$875,944.83", "¥3,385,000"),
        (TH, "US$875,944.83", "¥3,385,000"),
    ],
)
def test_money_has_its_currencys_decimals_in_every_language(locale, dollars, yen):
    assert format_money(Decimal("875944.83"), "USD", locale) == dollars
    assert format_money(Decimal(3385000), "JPY", locale) == yen


def test_money_kept_in_minor_units_reads_as_the_amount():
    assert format_minor(87594483, "USD", EN) == "$875,944.83"
    assert format_minor(3385000, "JPY", EN) == "¥3,385,000"
    assert format_minor(None, "USD", EN) == "—"


def test_whole_dollars_still_show_their_cents():
    assert format_money(Decimal(24000), "USD", EN) == "$24,000.00"


def test_the_baht_is_written_with_its_sign_in_thai():
    assert format_money(Decimal("1234.5"), "THB", TH) == "฿1,234.50"


def test_numbers_are_grouped_and_keep_the_places_asked_for():
    assert format_number(Decimal("1234567.891"), EN) == "1,234,567.891"
    assert format_number(Decimal(200), JA, decimals=2) == "200.00"
    assert format_number(1234, TH, decimals=0) == "1,234"


def test_a_change_shows_its_sign():
    assert format_signed(Decimal("149.78"), EN) == "+149.78"
    assert format_signed(Decimal("-12.5"), EN) == "-12.50"
    assert format_signed(0, EN) == "0.00"


@pytest.mark.parametrize("locale", [EN, JA, ZH, TH])
def test_percentages_are_out_of_a_hundred(locale):
    assert format_percent(50, locale) == "50%"
    assert format_percent(Decimal("12.34"), locale) == "12.3%"


@pytest.mark.parametrize(
    ("locale", "shown"),
    [(EN, "Dec 1, 2026"), (JA, "2026/12/01"), (ZH, "2026年12月1日"), (TH, "1 ธ.ค. 2026")],
)
def test_a_day_has_one_style_per_language(locale, shown):
    assert format_date(DAY, locale) == shown


@pytest.mark.parametrize(
    ("locale", "shown"),
    [(EN, "Dec 1, 2026, 8:30\u202fAM"), (JA, "2026/12/01 8:30"), (TH, "1 ธ.ค. 2026 08:30")],
)
def test_a_moment_is_shown_in_the_readers_timezone(locale, shown):
    with timezone.override("Asia/Tokyo"):
        assert format_datetime(LATE, locale) == shown


def test_a_moments_day_is_the_readers_day():
    with timezone.override("Asia/Tokyo"):
        assert format_date(LATE, EN) == "Dec 1, 2026"
    with timezone.override("America/New_York"):
        assert format_date(LATE, EN) == "Nov 30, 2026"


def test_a_month_is_named_in_the_readers_language():
    assert format_month(DAY, EN) == "Dec 2026"
    assert format_month(DAY, JA) == "2026年12月"


@pytest.mark.parametrize(
    ("locale", "japan", "taiwan", "yen"),
    [
        (EN, "Japan", "Taiwan", "Japanese Yen"),
        (JA, "日本", "台湾", "日本円"),
        (ZH, "日本", "台灣", "日圓"),
        (TH, "ญี่ปุ่น", "ไต้หวัน", "เยนญี่ปุ่น"),
    ],
)
def test_countries_and_currencies_are_named_in_the_readers_language(locale, japan, taiwan, yen):
    assert country_name("JP", locale) == japan
    assert country_name("tw", locale) == taiwan
    assert currency_name("JPY", locale) == yen


@pytest.mark.parametrize(
    ("language", "label"),
    [("en", "JPY — Japanese Yen"), ("ja", "JPY — 日本円"), ("zh-hant", "JPY — 日圓")],
)
def test_a_currency_select_names_the_code_and_the_currency_in_the_readers_language(language, label):
    with translation.override(language):
        assert currency_label("jpy") == label


def test_a_code_cldr_does_not_name_stays_a_bare_code():
    assert currency_label("XYZ", EN) == "XYZ"


def test_the_active_language_decides_without_a_locale_given():
    with translation.override("th"):
        assert country_name("TH") == "ไทย"
        assert format_money(Decimal(5), "THB") == "฿5.00"


def test_country_choices_are_named_and_sorted_in_the_readers_language():
    with translation.override("ja"):
        choices = dict(country_choices())
    assert choices["JP"] == "日本"
    with translation.override("en"):
        names = [name for _code, name in country_choices()]
    assert names == sorted(names)
    assert "Japan" in names


def test_the_template_filters_format_in_the_active_language():
    template = Template(
        "{{ amount|in_currency:'JPY' }} | {% money 1234 'USD' %} | {{ share|percent }}"
        " | {{ day|day }} | {{ code|country }} | {{ none|in_currency:'USD' }}"
        " | {{ none|day|default:'—' }}"
    )
    context = Context({"amount": 3385000, "share": 50, "day": DAY, "code": "JP", "none": None})
    with translation.override("ja"):
        assert template.render(context) == "￥3,385,000 | $12.34 | 50% | 2026/12/01 | 日本 | — | —"
