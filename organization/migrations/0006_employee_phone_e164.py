# Employee.phone is stored as E.164 (organization.phones, the one rule). Existing values
# are rewritten; one that is not a valid number is kept as typed (nothing is lost) and
# named here, so the administrator can correct it: Employee.clean refuses it on the next
# edit, and no WhatsApp goes to it meanwhile.
from django.db import migrations, models


def phones_to_e164(apps, schema_editor):
    from organization.phones import phone_e164

    Employee = apps.get_model('organization', 'Employee')
    unreadable = []
    for employee in Employee.objects.exclude(phone='').only('pk', 'nip', 'phone'):
        e164 = phone_e164(employee.phone)
        if e164 is None:
            unreadable.append(employee.nip)
        elif e164 != employee.phone:
            employee.phone = e164
            employee.save(update_fields=['phone'])
    if unreadable:
        print(f"\n  Employee phones that are not valid numbers (kept as typed): {', '.join(unreadable)}")


class Migration(migrations.Migration):

    dependencies = [
        ('organization', '0005_position_is_head'),
    ]

    operations = [
        migrations.AlterField(
            model_name='employee',
            name='phone',
            field=models.CharField(blank=True, help_text='WhatsApp number, stored as +62…', max_length=20, verbose_name='phone'),
        ),
        migrations.RunPython(phones_to_e164, migrations.RunPython.noop),
    ]
