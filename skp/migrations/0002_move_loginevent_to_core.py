# LoginEvent moved to core (all users' logins, not only SKP's). The table is renamed,
# so every recorded login is kept; core.0001 takes over the model state.
from django.db import migrations


class Migration(migrations.Migration):

    dependencies = [
        ('skp', '0001_initial'),
    ]

    operations = [
        migrations.AlterModelTable(name='loginevent', table='core_loginevent'),
        migrations.SeparateDatabaseAndState(
            state_operations=[migrations.DeleteModel(name='LoginEvent')],
        ),
    ]
