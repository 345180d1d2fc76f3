"""The program admin configures the demo program in the Django admin: every page opens."""

import pytest
from django.contrib import admin
from django.test import Client
from django.urls import reverse

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


def admin_pages(client: Client) -> list[str]:
    """List, add, change and history pages of every registered model, the first row's for the
    pages of one object (one demo load for all of them: the demo takes seconds)."""
    request = client.get(reverse("admin:index")).wsgi_request
    urls = []
    for model, model_admin in admin.site._registry.items():
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls.append(reverse(f"{prefix}_changelist"))
        if model_admin.has_add_permission(request):
            urls.append(reverse(f"{prefix}_add"))
        first = model_admin.get_queryset(request).order_by("pk").first()
        if first is None:
            assert model._meta.label in WITHOUT_DEMO_ROWS, f"no {model._meta.label} in the demo"
            continue
        urls += [reverse(f"{prefix}_{page}", args=[first.pk]) for page in ("change", "history")]
    return urls


def test_the_admin_index_links_every_configuration_model(program_admin):
    html = program_admin.get(reverse("admin:index")).content.decode()
    for model in admin.site._registry:
        assert reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist") in html


def test_every_admin_page_opens_for_the_program_admin(program_admin):
    failing = {}
    for url in admin_pages(program_admin):
        status = program_admin.get(url).status_code
        if status != 200:
            failing[url] = status
    assert failing == {}


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
