from django.db import migrations

STAGES = [
    ("Registered", "open"),
    ("Qualified", "open"),
    ("Proposal sent", "open"),
    ("Closed won", "won"),
    ("Closed lost", "lost"),
]


def create_stages(apps, schema_editor):
    PipelineStage = apps.get_model("deals", "PipelineStage")
    if not PipelineStage.objects.exists():
        for position, (name, outcome) in enumerate(STAGES):
            PipelineStage.objects.create(name=name, position=position, outcome=outcome)


class Migration(migrations.Migration):
    dependencies = [("deals", "0001_initial")]

    operations = [migrations.RunPython(create_stages, migrations.RunPython.noop)]
