"""fold(): one case-insensitive search for every script, the same on SQLite and PostgreSQL."""

# ruff: noqa: RUF001 -- full-width Latin letters are the point of these tests

import pytest

from openprm.accounts.models import Organization
from openprm.accounts.tests.factories import PartnerFactory
from openprm.core.search import fold


@pytest.mark.parametrize(
    ("text", "folded"),
    [
        ("Northwind TRADERS", "northwind traders"),
        ("ＮＯＲＴＨＷＩＮＤ", "northwind"),  # full-width Latin, as typed with a Japanese IME
        ("ﾉｰｽｳｨﾝﾄﾞ", "ノースウィンド"),  # half-width katakana
        ("Straße", "strasse"),
        ("ΣΊΣΥΦΟΣ", "σίσυφοσ"),
        ("บริษัท เทลสปิน", "บริษัท เทลสปิน"),
        ("台灣微軟", "台灣微軟"),
        ("  padded  ", "padded"),
        ("", ""),
    ],
)
def test_fold(text, folded):
    assert fold(text) == folded


def test_fold_accepts_none():
    assert fold(None) == ""  # type: ignore[arg-type]


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("query", "found"),
    [
        ("northwind", "Northwind Traders"),
        ("ＴＲＡＤＥＲＳ", "Northwind Traders"),
        ("ノース", "株式会社ノースウィンド"),
        ("ﾉｰｽ", "株式会社ノースウィンド"),
        ("เทลสปิน", "บริษัท เทลสปิน จำกัด"),
        ("微軟", "台灣微軟股份有限公司"),
        ("MÜLLER", "Müller Systemhaus GmbH"),
        ("ÉCOLE", "École Numérique"),
        ("ΣΊΣΥΦΟΣ", "Σίσυφος Λογισμικό"),
    ],
)
def test_search_finds_names_in_any_script_and_case(query, found):
    names = [
        "Northwind Traders",
        "Müller Systemhaus GmbH",
        "École Numérique",
        "Σίσυφος Λογισμικό",
        "株式会社ノースウィンド",
        "บริษัท เทลสปิน จำกัด",
        "台灣微軟股份有限公司",
    ]
    for number, name in enumerate(names):
        PartnerFactory(name=name, slug=f"partner-{number}")
    matches = Organization.objects.filter(search_name__contains=fold(query))
    assert [organization.name for organization in matches] == [found]
