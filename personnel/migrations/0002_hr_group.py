"""The 'Kepegawaian' (HR) group: may import SIASN data and solve consistency issues.
An administrator adds HR staff to it. Merged into 'Pengelola kepegawaian' by 0004."""

from django.db import migrations

GROUP = "Kepegawaian"


def create_group(apps, schema_editor):
    from django.contrib.auth.management import create_permissions

    # Permissions are normally created after migrate; the group needs this one now.
    config = apps.get_app_config("personnel")
    config.models_module = True
    create_permissions(config, apps=apps, verbosity=0)
    config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    group, _ = Group.objects.get_or_create(name=GROUP)
    perm = Permission.objects.filter(
        codename="reconcile_personnel", content_type__app_label="personnel"
    ).first()
    if perm is not None:
        group.permissions.add(perm)


def remove_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name=GROUP).delete()


class Migration(migrations.Migration):
    dependencies = [("personnel", "0001_initial"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(create_group, remove_group)]
