"""The commission models now belong to the points app (points 0004 takes over their tables and
rows): they leave the dashboard's state only, and no table is dropped."""

from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('dashboard', '0002_commission_settlement'),
        ('points', '0004_commissions_from_dashboard'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.DeleteModel(name='CommissionLine'),
                migrations.DeleteModel(name='CommissionStatement'),
                migrations.DeleteModel(name='CommissionSettlement'),
                migrations.DeleteModel(name='CommissionProgram'),
            ],
        ),
    ]
