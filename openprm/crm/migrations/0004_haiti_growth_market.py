"""Haiti is one of Latin America's countries, a growth market by SPEC E12; databases migrated
before it joined `defaults.GROWTH_REGIONS` get it here (new ones already have it from 0002)."""

from decimal import Decimal

from django.db import migrations


def add_haiti(apps, schema_editor):
    Market = apps.get_model("crm", "Market")
    Market.objects.get_or_create(
        country="HT",
        defaults={"region": "Latin America", "is_growth": True, "point_multiplier": Decimal(2)},
    )


class Migration(migrations.Migration):
    dependencies = [("crm", "0003_opportunity_brought_by_duns_digits")]

    operations = [migrations.RunPython(add_haiti, migrations.RunPython.noop)]
