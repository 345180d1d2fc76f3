from django.db import migrations


def create_first_version(apps, schema_editor):
    from openprm.points.defaults import first_version

    RuleSet = apps.get_model("points", "RuleSet")
    if not RuleSet.objects.exists():
        RuleSet.objects.create(**first_version(apps.get_model("crm", "Currency"), apps.get_model("crm", "Market")))


class Migration(migrations.Migration):
    dependencies = [("points", "0001_initial"), ("crm", "0002_default_currencies_and_markets")]

    operations = [migrations.RunPython(create_first_version, migrations.RunPython.noop)]
