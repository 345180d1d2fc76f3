import datetime

from django.db import migrations


def create_first_version(apps, schema_editor):
    from openprm.points import defaults

    Currency = apps.get_model("crm", "Currency")
    Market = apps.get_model("crm", "Market")
    RuleSet = apps.get_model("points", "RuleSet")
    if RuleSet.objects.exists():
        return
    RuleSet.objects.create(
        version=1,
        effective_from=datetime.date(2000, 1, 1),
        note="Default rules (SPEC E12).",
        sourced_rate=defaults.SOURCED_RATE,
        assisted_rate=defaults.ASSISTED_RATE,
        managed_rate=defaults.MANAGED_RATE,
        usd100_equivalents={c.code: str(c.usd100_equivalent) for c in Currency.objects.all()},
        market_multipliers={
            str(m.country): str(m.point_multiplier)
            for m in Market.objects.filter(is_growth=True)
        },
        sold_life_months=defaults.SOLD_LIFE_MONTHS,
        tiers=defaults.TIERS,
        demotion_grace_months=defaults.DEMOTION_GRACE_MONTHS,
    )


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial"), ("crm", "0002_default_currencies_and_markets")]

    operations = [migrations.RunPython(create_first_version, migrations.RunPython.noop)]
