"""The referrals CSV opens cleanly in Excel and reads as the page does: a UTF-8 byte-order mark,
the reader's language and the reader's timezone to the second."""

import codecs
import csv
import datetime
import io

import pytest
from django.urls import reverse

from openprm.referrals.tests.factories import create_referral

pytestmark = pytest.mark.django_db

# 23:30:15.25 UTC on 30 November is 08:30:15 on 1 December in Tokyo.
CREATED = datetime.datetime(2026, 11, 30, 23, 30, 15, 250_000, tzinfo=datetime.UTC)


@pytest.fixture
def exported(client, alice, time_machine):
    def export(language: str = "en", zone: str = "UTC") -> bytes:
        alice.language, alice.timezone = language, zone
        alice.save(update_fields=["language", "timezone"])
        time_machine.move_to(CREATED, tick=False)
        create_referral(actor=alice, name="東京の案件")
        client.force_login(alice)
        response = client.get(reverse("referrals:export"), {"tab": "outbound", "format": "csv"})
        return b"".join(response.streaming_content)

    return export


def table(body: bytes) -> list[list[str]]:
    return list(csv.reader(io.StringIO(body.decode("utf-8-sig"))))


def test_the_csv_starts_with_a_utf8_byte_order_mark(exported):
    body = exported()
    assert body.startswith(codecs.BOM_UTF8)
    assert "東京の案件" in body.decode("utf-8-sig")


def test_the_csv_shows_times_in_the_readers_timezone_without_microseconds(exported):
    header, row = table(exported(zone="Asia/Tokyo"))
    assert row[header.index("Created")] == "2026-12-01 08:30:15"


def test_the_csv_headers_are_in_the_readers_language(exported):
    header, _row = table(exported(language="ja"))
    assert header[0] == "案件名"
    assert header[-2] == "作成日時"
