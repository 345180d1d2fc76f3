"""The program admin configures the demo program in the Django admin: every page opens."""

import re

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse
from django.utils.html import escape
from django.utils.text import capfirst

from openprm.accounts.models import User
from openprm.crm.models import Customer
from openprm.demo.generator import load

pytestmark = pytest.mark.django_db

# Registered models the demo leaves empty: their list and add pages are still opened.
WITHOUT_DEMO_ROWS = {
    "auth.Group", "axes.AccessAttempt", "axes.AccessFailureLog",
    "django_tasks_database.DBTaskResult", "points.PointEntry",
    # Nobody in the demo has two-factor sign-in on.
    "otp_totp.TOTPDevice", "otp_static.StaticDevice",
}  # fmt: skip


@pytest.fixture
def program_admin(client: Client) -> Client:
    load(scale=0.1, say=lambda line: None)
    client.force_login(User.objects.get(email="admin@openprm.example"))
    return client


def admin_pages(client: Client) -> list[tuple[str, str]]:
    """List, add, change and history pages of every registered model, the first row's for the
    pages of one object (one demo load for all of them: the demo takes seconds), each with the
    name of its model's list that its breadcrumbs show."""
    request = client.get(reverse("admin:index")).wsgi_request
    urls = []
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        plural = str(escape(capfirst(model._meta.verbose_name_plural)))
        urls.append((reverse(f"{prefix}_changelist"), plural))
        if model_admin.has_add_permission(request):
            urls.append((reverse(f"{prefix}_add"), plural))
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is None:
            assert model._meta.label in WITHOUT_DEMO_ROWS, f"no {model._meta.label} in the demo"
            continue
        urls += [
            (reverse(f"{prefix}_{page}", args=[first.pk]), plural) for page in ("change", "history")
        ]
    return urls


def test_the_admin_index_links_every_configuration_model(program_admin):
    html = program_admin.get(reverse("admin:index")).content.decode()
    for model in admin.site._registry:
        assert reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") in html


def breadcrumbs(html: str) -> str:
    """The trail at the top of an admin page (the sidebar names every model on every page)."""
    found = re.search(r'<div class="breadcrumbs">(.*?)</div>', html, re.DOTALL)
    return found.group(1) if found else ""


def test_every_admin_page_opens_for_the_program_admin_on_its_model(program_admin):
    failing = []
    for url, plural in admin_pages(program_admin):
        response = program_admin.get(url)
        if response.status_code != 200 or plural not in breadcrumbs(response.content.decode()):
            failing.append((url, response.status_code, plural))
    assert failing == []


def test_the_admin_search_and_filters_of_the_customer_directory_find_their_customers(
    program_admin,
):
    url = reverse("admin:crm_customer_changelist")
    searched = program_admin.get(url, {"q": "株式会社"})
    assert searched.status_code == 200
    japanese = Customer.objects.filter(name__contains="株式会社")
    assert searched.context["cl"].result_count == japanese.count() > 0
    filtered = program_admin.get(url, {"market_type__exact": "growth"})
    assert filtered.status_code == 200
    growth = Customer.objects.filter(market_type="growth")
    assert filtered.context["cl"].result_count == growth.count() > 0
