"""Each framework belongs to the council that leads it, and its sections, applications and
approvals with it; joint frameworks name the councils that agreed to join; a council may bar a
provider. An install from before makes its framework its council's, in place. A new install,
loaded before it has a council, leaves them blank for its first council to adopt
(organisations.councils)."""

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models

from caremarket.organisations.councils import fill_from_parent, installed_council


def to_the_council(apps, schema_editor):
    council = installed_council(apps)
    if council is None:
        return
    apps.get_model("framework", "Framework").objects.filter(council__isnull=True).update(council=council)
    for model, parent in [("Section", "framework"), ("Application", "framework"), ("SectionApproval", "section")]:
        fill_from_parent(apps.get_model("framework", model), parent)


class Migration(migrations.Migration):

    dependencies = [
        ('framework', '0002_framework_2026'),
        ('organisations', '0005_organisation_la_code'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    operations = [
        migrations.CreateModel(
            name='Barring',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('reason', models.TextField()),
                ('barred_on', models.DateField()),
                ('lifted_on', models.DateField(blank=True, null=True)),
            ],
            options={
                'ordering': ['-barred_on'],
            },
        ),
        migrations.CreateModel(
            name='FrameworkPartner',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('asked_at', models.DateTimeField()),
                ('agreed_at', models.DateTimeField(blank=True, null=True)),
            ],
            options={
                'ordering': ['framework', 'council__name'],
            },
        ),
        migrations.AddField(
            model_name='application',
            name='council',
            field=models.ForeignKey(editable=False, limit_choices_to={'kind': 'council'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
        ),
        migrations.AddField(
            model_name='framework',
            name='council',
            field=models.ForeignKey(editable=False, limit_choices_to={'kind': 'council'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
        ),
        migrations.AddField(
            model_name='section',
            name='council',
            field=models.ForeignKey(editable=False, limit_choices_to={'kind': 'council'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
        ),
        migrations.AddField(
            model_name='sectionapproval',
            name='council',
            field=models.ForeignKey(editable=False, limit_choices_to={'kind': 'council'}, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
        ),
        migrations.AlterField(
            model_name='framework',
            name='name',
            field=models.CharField(max_length=200),
        ),
        migrations.AddConstraint(
            model_name='framework',
            constraint=models.UniqueConstraint(fields=('council', 'name'), name='one_framework_name_per_council'),
        ),
        migrations.AddField(
            model_name='barring',
            name='barred_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='barring',
            name='council',
            field=models.ForeignKey(editable=False, limit_choices_to={'kind': 'council'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
        ),
        migrations.AddField(
            model_name='barring',
            name='organisation',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='barrings', to='organisations.organisation'),
        ),
        migrations.AddField(
            model_name='frameworkpartner',
            name='agreed_by',
            field=models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='frameworkpartner',
            name='asked_by',
            field=models.ForeignKey(on_delete=django.db.models.deletion.PROTECT, related_name='+', to=settings.AUTH_USER_MODEL),
        ),
        migrations.AddField(
            model_name='frameworkpartner',
            name='council',
            field=models.ForeignKey(limit_choices_to={'kind': 'council'}, on_delete=django.db.models.deletion.PROTECT, related_name='+', to='organisations.organisation'),
        ),
        migrations.AddField(
            model_name='frameworkpartner',
            name='framework',
            field=models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='partners', to='framework.framework'),
        ),
        migrations.AddConstraint(
            model_name='frameworkpartner',
            constraint=models.UniqueConstraint(fields=('framework', 'council'), name='one_partnership_per_council'),
        ),
        migrations.RunPython(to_the_council, migrations.RunPython.noop),
    ]
