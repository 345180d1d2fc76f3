from django.db import migrations


def load_defaults(apps, schema_editor):
    from openprm.crm.defaults import CURRENCIES, GROWTH_MULTIPLIER, GROWTH_REGIONS

    Currency = apps.get_model("crm", "Currency")
    Market = apps.get_model("crm", "Market")
    for code, name, usd100 in CURRENCIES:
        Currency.objects.get_or_create(code=code, defaults={"name": name, "usd100_equivalent": usd100})
    for region, countries in GROWTH_REGIONS.items():
        for country in countries:
            Market.objects.get_or_create(
                country=country,
                defaults={"region": region, "is_growth": True, "point_multiplier": GROWTH_MULTIPLIER},
            )


class Migration(migrations.Migration):
    dependencies = [("crm", "0001_initial")]

    operations = [migrations.RunPython(load_defaults, migrations.RunPython.noop)]
