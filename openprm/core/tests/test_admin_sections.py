"""Program settings (the Django admin) heads each app's section with its name for people, not
the app's label capitalised ("CRM", never "Crm")."""

import pytest
from django.apps import apps

pytestmark = pytest.mark.django_db


def test_program_settings_heads_the_crm_section_crm(client, victor):
    client.force_login(victor)

    response = client.get("/admin/")

    sections = [str(app["name"]) for app in response.context["app_list"]]
    assert "CRM" in sections
    assert "Crm" not in sections


def test_every_openprm_app_names_itself_rather_than_taking_its_label():
    unnamed = [
        config.label
        for config in apps.get_app_configs()
        if config.name.startswith("openprm.") and "verbose_name" not in vars(type(config))
    ]
    assert not unnamed
