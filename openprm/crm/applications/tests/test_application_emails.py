"""What the applicant reads: the rejection with its reason and the admin invitation, each in
the language they applied in."""

import pytest
from django.urls import reverse
from django.utils import translation

from openprm.crm.applications.tests.kit import approval_form_data, pending_application

pytestmark = pytest.mark.django_db


def reject(client, victor, application, captured):
    client.force_login(victor)
    url = reverse("crm:partner-application-reject", args=[application.pk])
    with captured(execute=True):
        client.post(url, {"reason": "We have enough partners in Bangkok."})


def test_the_rejected_applicant_reads_the_reason(
    client, victor, mailoutbox, django_capture_on_commit_callbacks
):
    application = pending_application()
    reject(client, victor, application, django_capture_on_commit_callbacks)
    message = mailoutbox[-1]
    assert message.to == ["nok@litware.example"]
    assert message.subject == "Your partner application for Litware Systems"
    assert "Hello Nok Suksan," in message.body
    assert "We have enough partners in Bangkok." in message.body


@pytest.mark.parametrize("language", ["ja", "zh-hant", "th"])
def test_the_rejection_is_in_the_applicants_language(
    client, victor, mailoutbox, django_capture_on_commit_callbacks, language
):
    application = pending_application(language=language)
    reject(client, victor, application, django_capture_on_commit_callbacks)
    with translation.override(language):
        subject = translation.gettext("Your partner application for %(company)s")
    assert subject != "Your partner application for %(company)s"
    assert mailoutbox[-1].subject == subject % {"company": "Litware Systems"}


def test_the_invitation_is_in_the_applicants_language(
    client, victor, mailoutbox, django_capture_on_commit_callbacks
):
    application = pending_application(language="ja")
    client.force_login(victor)
    url = reverse("crm:partner-application-approve", args=[application.pk])
    with django_capture_on_commit_callbacks(execute=True):
        client.post(url, approval_form_data())
    with translation.override("ja"):
        subject = translation.gettext("You are invited to %(organization)s on OpenPRM")
    assert mailoutbox[-1].subject == subject % {"organization": "Litware Systems"}
    assert "/invitations/" in mailoutbox[-1].body
