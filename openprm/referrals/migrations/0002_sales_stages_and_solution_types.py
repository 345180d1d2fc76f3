"""The standard sales stages of D6 with their fixed percentages, and starter solution types."""

from django.db import migrations

STAGES = [
    ("created", "Created", 10),
    ("accepted", "Accepted", 10),
    ("secure_loe", "Secure customer LOE", 20),
    ("gather_data", "Gather data", 40),
    ("prepare_report", "Prepare assessment report", 60),
    ("present", "Present to customer", 80),
    ("won", "Won", 100),
]

# (code, name, registration eligible): the program admin edits these in Program settings.
SOLUTION_TYPES = [
    ("infrastructure-assessment", "Infrastructure assessment", True),
    ("security-assessment", "Security assessment", True),
    ("data-and-ai-assessment", "Data and AI assessment", False),
]


def load(apps, schema_editor):
    SalesStage = apps.get_model("referrals", "SalesStage")
    SolutionType = apps.get_model("referrals", "SolutionType")
    for position, (code, name, percentage) in enumerate(STAGES, start=1):
        SalesStage.objects.update_or_create(
            code=code, defaults={"name": name, "percentage": percentage, "position": position}
        )
    if not SolutionType.objects.exists():
        for code, name, eligible in SOLUTION_TYPES:
            SolutionType.objects.create(code=code, name=name, registration_eligible=eligible)


class Migration(migrations.Migration):
    dependencies = [("referrals", "0001_initial")]

    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
