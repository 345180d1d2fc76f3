"""The commission models move from the dashboard app to points with their rows (SPEC E13).

The dashboard's tables become the points models' (dashboard 0003 drops them from its state only),
then take the points names. The content types and the events of the moved models follow them,
so the admin's history and the statement events stay attached to the rows.
"""

import django.core.validators
import django.db.models.deletion
from decimal import Decimal
from django.db import migrations, models

MOVED = ('commissionprogram', 'commissionstatement', 'commissionline', 'commissionsettlement')


def relabel(old, new):
    """Move the content types and events of the moved models from app `old` to app `new`."""

    def run(apps, schema_editor):
        db = schema_editor.connection.alias
        content_types = apps.get_model('contenttypes', 'ContentType').objects.using(db)
        events = apps.get_model('core', 'Event').objects.using(db)
        for model in MOVED:
            if not content_types.filter(app_label=new, model=model).exists():
                content_types.filter(app_label=old, model=model).update(app_label=new)
            events.filter(object_type=f'{old}.{model}').update(object_type=f'{new}.{model}')
        events.filter(kind=f'{old}.commission_statement').update(kind=f'{new}.commission_statement')

    return run


class Migration(migrations.Migration):

    dependencies = [
        ('accounts', '0003_organization_credited_tier'),
        ('contenttypes', '0002_remove_content_type_name'),
        ('core', '0001_initial'),
        ('crm', '0003_opportunity_brought_by_duns_digits'),
        ('dashboard', '0002_commission_settlement'),
        ('points', '0003_tier_evaluations'),
    ]

    operations = [
        # The dashboard's tables already hold the models and their rows: the state only.
        migrations.SeparateDatabaseAndState(
            state_operations=[
                migrations.CreateModel(
                    name='CommissionProgram',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('rate_percent', models.DecimalField(decimal_places=2, default=Decimal('20.00'), max_digits=5, validators=[django.core.validators.MinValueValidator(0), django.core.validators.MaxValueValidator(100)], verbose_name='commission rate (%)')),
                        ('years', models.PositiveSmallIntegerField(default=3, validators=[django.core.validators.MinValueValidator(1)], verbose_name='years paid from the sale')),
                        ('payment_delay_days', models.PositiveSmallIntegerField(default=92, verbose_name="days from the quarter's end to the payment")),
                    ],
                    options={
                        'verbose_name': 'commission program',
                        'constraints': [models.CheckConstraint(condition=models.Q(('rate_percent__gte', 0), ('rate_percent__lte', 100)), name='commission_rate')],
                        'db_table': 'dashboard_commissionprogram',
                    },
                ),
                migrations.CreateModel(
                    name='CommissionStatement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('quarter_start', models.DateField(verbose_name='quarter from')),
                        ('quarter_end', models.DateField(verbose_name='quarter to')),
                        ('rate_percent', models.DecimalField(decimal_places=2, max_digits=5, verbose_name='commission rate (%)')),
                        ('revenue_minor', models.BigIntegerField(verbose_name='net recurring revenue')),
                        ('commission_minor', models.BigIntegerField(verbose_name='commission')),
                        ('payable_on', models.DateField(verbose_name='payment date')),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('currency', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='crm.currency')),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='commission_statements', to='accounts.organization')),
                    ],
                    options={
                        'ordering': ['-quarter_start', 'currency_id'],
                        'constraints': [models.UniqueConstraint(fields=('organization', 'quarter_start', 'currency'), name='one_statement_per_partner_quarter_currency'), models.CheckConstraint(condition=models.Q(('commission_minor__gte', 0), ('revenue_minor__gte', 0)), name='statement_not_negative')],
                        'db_table': 'dashboard_commissionstatement',
                    },
                ),
                migrations.CreateModel(
                    name='CommissionLine',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('sale_on', models.DateField(verbose_name='sale date')),
                        ('revenue_minor', models.BigIntegerField(verbose_name='net recurring revenue')),
                        ('commission_minor', models.BigIntegerField(verbose_name='commission')),
                        ('customer', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='crm.customer')),
                        ('opportunity', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='crm.opportunity')),
                        ('subscription', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='crm.subscription')),
                        ('statement', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='lines', to='points.commissionstatement')),
                    ],
                    options={
                        'ordering': ['statement', 'customer__name', 'id'],
                        'constraints': [models.UniqueConstraint(fields=('statement', 'subscription'), name='one_line_per_statement_subscription')],
                        'db_table': 'dashboard_commissionline',
                    },
                ),
                migrations.CreateModel(
                    name='CommissionSettlement',
                    fields=[
                        ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                        ('quarter_start', models.DateField(verbose_name='quarter from')),
                        ('statements', models.PositiveSmallIntegerField(default=0)),
                        ('created_at', models.DateTimeField(auto_now_add=True)),
                        ('organization', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='commission_settlements', to='accounts.organization')),
                    ],
                    options={
                        'constraints': [models.UniqueConstraint(fields=('organization', 'quarter_start'), name='one_settlement_per_partner_quarter')],
                        'db_table': 'dashboard_commissionsettlement',
                    },
                ),
            ],
        ),
        # Then the tables take the points names (a rename: rows, keys and constraints stay).
        migrations.AlterModelTable(name='commissionprogram', table=None),
        migrations.AlterModelTable(name='commissionstatement', table=None),
        migrations.AlterModelTable(name='commissionline', table=None),
        migrations.AlterModelTable(name='commissionsettlement', table=None),
        migrations.RunPython(relabel('dashboard', 'points'), relabel('points', 'dashboard')),
    ]
