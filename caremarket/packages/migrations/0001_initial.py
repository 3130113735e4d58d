"""The care package, its changes and its funding join this app from tendering and payments.

Only Django's idea of where the models live changes here: their tables (still named
tendering_carepackage, payments_packagechange and payments_packagefunding) and every row in
them stay as they are. 0002 then renames the tables."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('organisations', '0002_location_area'),
        ('tendering', '0004_eligibility_at_every_step'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=[
            migrations.CreateModel(
                name='CarePackage',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('reference', models.CharField(max_length=20, unique=True)),
                    ('route', models.CharField(choices=[('micro_tender', 'Micro-tender'), ('citizen_choice', "Citizen's choice after micro-tender"), ('block_contract', 'Block contract'), ('quick_discharge', 'Quick Discharge Service'), ('hand_back', 'Re-placed after a hand-back')], max_length=20)),
                    ('weekly_price_pence', models.PositiveIntegerField(help_text='What the council pays a week, as awarded')),
                    ('hourly_rate_pence', models.PositiveIntegerField(blank=True, help_text='Hourly care: the rate a delivered hour is paid at', null=True)),
                    ('price_basis', models.CharField(blank=True, help_text='Fixed fee, open book, host authority rate…', max_length=30)),
                    ('carers_per_visit', models.PositiveSmallIntegerField(default=1, help_text='Home support: 2 for double-up visits')),
                    ('top_up_pence', models.PositiveIntegerField(default=0, help_text='A week, paid by the named third party')),
                    ('top_up_payer', models.CharField(blank=True, max_length=200)),
                    ('weekly_hours', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True)),
                    ('start_on', models.DateField()),
                    ('end_on', models.DateField(blank=True, null=True)),
                    ('status', models.CharField(choices=[('active', 'Active'), ('handed_back', 'Handed back'), ('ended', 'Ended')], default='active', max_length=20)),
                    ('decision', models.JSONField(default=dict, help_text='Why this provider at this price: the evaluation record')),
                    ('awarded_at', models.DateTimeField()),
                    ('awarded_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('block_contract', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='packages', to='tendering.blockcontract')),
                    ('location', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.carelocation')),
                    ('offer', models.OneToOneField(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='package', to='tendering.offer')),
                    ('organisation', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='care_packages', to='organisations.organisation')),
                    ('requirement', models.OneToOneField(on_delete=django.db.models.deletion.PROTECT, related_name='package', to='tendering.carerequirement')),
                ],
                options={
                    'db_table': 'tendering_carepackage',
                    'ordering': ['-awarded_at', '-pk'],
                },
            ),
            migrations.CreateModel(
                name='PackageChange',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('kind', models.CharField(choices=[('price', 'Hours or price changed'), ('suspension', 'Suspended (e.g. a hospital stay)'), ('end', 'Ended')], max_length=20)),
                    ('effective_from', models.DateField(help_text='The first day the change applies')),
                    ('effective_to', models.DateField(blank=True, help_text="A suspension's last day", null=True)),
                    ('weekly_price_pence', models.PositiveIntegerField(blank=True, null=True)),
                    ('hourly_rate_pence', models.PositiveIntegerField(blank=True, null=True)),
                    ('weekly_hours', models.DecimalField(blank=True, decimal_places=2, max_digits=6, null=True)),
                    ('end_cause', models.CharField(blank=True, choices=[('death', 'The citizen died'), ('moved', 'The citizen moved'), ('no_longer_needed', 'No longer needed'), ('handed_back', 'Handed back by the provider')], max_length=20)),
                    ('reason', models.TextField()),
                    ('status', models.CharField(choices=[('proposed', 'Waiting for approval'), ('approved', 'Approved'), ('rejected', 'Rejected')], default='proposed', max_length=20)),
                    ('requested_at', models.DateTimeField()),
                    ('decided_at', models.DateTimeField(blank=True, null=True)),
                    ('decision_reason', models.TextField(blank=True)),
                    ('decided_by', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                    ('package', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='changes', to='packages.carepackage')),
                    ('requested_by', models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL)),
                ],
                options={
                    'db_table': 'payments_packagechange',
                    'ordering': ['effective_from', 'pk'],
                },
            ),
            migrations.CreateModel(
                name='PackageFunding',
                fields=[
                    ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                    ('nhs_percent', models.DecimalField(decimal_places=2, default=0, help_text="The NHS's share of the council's price (joint funding)", max_digits=5)),
                    ('nhs_funder', models.CharField(blank=True, max_length=200)),
                    ('client_contribution_pence', models.PositiveIntegerField(default=0, help_text='A week, from the financial assessment')),
                    ('package', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='funding', to='packages.carepackage')),
                ],
                options={
                    'db_table': 'payments_packagefunding',
                },
            ),
            migrations.AddConstraint(
                model_name='carepackage',
                constraint=models.CheckConstraint(condition=models.Q(('top_up_pence', 0), models.Q(('top_up_payer', ''), _negated=True), _connector='OR'), name='top_up_has_a_payer'),
            ),
            migrations.AddIndex(
                model_name='packagechange',
                index=models.Index(fields=['status', 'decided_at'], name='payments_pa_status_273f77_idx'),
            ),
            migrations.AddConstraint(
                model_name='packagefunding',
                constraint=models.CheckConstraint(condition=models.Q(('nhs_percent__gte', 0), ('nhs_percent__lte', 100)), name='nhs_share_is_a_percent'),
            ),
            migrations.AddConstraint(
                model_name='packagefunding',
                constraint=models.CheckConstraint(condition=models.Q(('nhs_percent', 0), models.Q(('nhs_funder', ''), _negated=True), _connector='OR'), name='nhs_share_names_its_funder'),
            ),
        ]),
    ]
