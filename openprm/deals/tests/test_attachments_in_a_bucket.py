"""Shared-deal attachments in an S3-compatible bucket (OPENPRM_MEDIA_STORAGE=s3): what the
partner uploads, the sales rep downloads, whichever server host answers."""

import json

from django.core.files.uploadedfile import SimpleUploadedFile

from openprm.deals.models import NoteAttachment
from openprm.deals.tests.factories import create_deal

PDF = b"%PDF-1.7\n" + b"1" * 100


def upload_quote(client, alice):
    deal = create_deal(actor=alice)
    client.force_login(alice)
    note = client.post(
        f"/api/v1/deals/{deal.pk}/notes",
        json.dumps({"body": "Quote", "shared": True}),
        content_type="application/json",
    ).json()
    response = client.post(
        f"/api/v1/deals/{deal.pk}/notes/{note['id']}/attachments",
        {"file": SimpleUploadedFile("quote.pdf", PDF, content_type="application/pdf")},
    )
    assert response.status_code == 201
    return NoteAttachment.objects.get()


def test_an_uploaded_attachment_is_stored_in_the_bucket(client, alice, sam_rule, media_bucket):
    attachment = upload_quote(client, alice)
    stored = media_bucket.Object(attachment.file.name).get()["Body"].read()
    assert stored == PDF


def test_the_sales_rep_downloads_the_attachment_from_the_bucket(
    client, alice, sam, sam_rule, media_bucket
):
    attachment = upload_quote(client, alice)
    client.force_login(sam)
    download = client.get(f"/api/v1/deals/attachments/{attachment.pk}")
    assert download.status_code == 200
    assert b"".join(download.streaming_content) == PDF


def test_an_attachment_missing_from_the_bucket_is_a_410(client, alice, sam, sam_rule, media_bucket):
    attachment = upload_quote(client, alice)
    media_bucket.Object(attachment.file.name).delete()
    client.force_login(sam)
    download = client.get(f"/api/v1/deals/attachments/{attachment.pk}")
    assert (download.status_code, download.json()["code"]) == (410, "file_missing")


def test_two_uploads_of_the_same_name_keep_both_files(client, alice, sam_rule, media_bucket):
    first = upload_quote(client, alice)
    NoteAttachment.objects.all().delete()
    second = upload_quote(client, alice)
    assert first.file.name != second.file.name
    assert len(list(media_bucket.objects.all())) == 2
