"""Registration counters moved to `workflow` (numbers depend only on the office): copy the
rows into `workflow.RegistrationCounter`, then drop tracking's table. `tracking` depends on
`workflow`, never the other way round, so the copy lives here."""

from django.db import migrations


def copy_counters(apps, schema_editor):
    old = apps.get_model("tracking", "RegistrationCounter")
    new = apps.get_model("workflow", "RegistrationCounter")
    new.objects.bulk_create(
        [new(office_id=c.office_id, year=c.year, last=c.last) for c in old.objects.all()],
        ignore_conflicts=True,
    )


def copy_back(apps, schema_editor):
    old = apps.get_model("tracking", "RegistrationCounter")
    new = apps.get_model("workflow", "RegistrationCounter")
    old.objects.bulk_create(
        [old(office_id=c.office_id, year=c.year, last=c.last) for c in new.objects.all()],
        ignore_conflicts=True,
    )


class Migration(migrations.Migration):
    dependencies = [
        ("tracking", "0002_form_submission"),
        ("workflow", "0003_registration_counter"),
    ]

    operations = [
        migrations.RunPython(copy_counters, copy_back),
        migrations.DeleteModel(name="RegistrationCounter"),
    ]
