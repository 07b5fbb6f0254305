"""One HR role, one group: 'Kepegawaian' (made by 0002: the SIASN import and consistency
monitor) is merged into 'Pengelola kepegawaian' (organization.admin_roles: the HR tables of
the admin), which now carries the reconcile permission too. Its members join the kept
group; a permission a superuser had added to the old group, which the next migrate would
strip from the kept one (admin_roles sets exactly its list), is given to those members
directly. Nobody loses access."""

from django.db import migrations

OLD, KEPT = "Kepegawaian", "Pengelola kepegawaian"
RECONCILE = ("personnel", "reconcile_personnel")


def merge(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    old = Group.objects.filter(name=OLD).first()
    if old is None:
        return
    kept, _ = Group.objects.get_or_create(name=KEPT)
    app_label, codename = RECONCILE
    reconcile = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    if reconcile is not None:
        kept.permissions.add(reconcile)
    members = list(old.user_set.all())
    kept.user_set.add(*members)
    extra = list(old.permissions.exclude(pk=getattr(reconcile, "pk", None)))
    for user in members if extra else ():
        user.user_permissions.add(*extra)
    old.delete()


def split(apps, schema_editor):
    """Back to two groups: the kept group's members who may reconcile go back to the old."""
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    kept = Group.objects.filter(name=KEPT).first()
    old, _ = Group.objects.get_or_create(name=OLD)
    app_label, codename = RECONCILE
    reconcile = Permission.objects.filter(
        content_type__app_label=app_label, codename=codename
    ).first()
    if reconcile is not None:
        old.permissions.add(reconcile)
    if kept is not None:
        old.user_set.add(*kept.user_set.all())


class Migration(migrations.Migration):
    dependencies = [("personnel", "0003_verbose_names"), ("auth", "0012_alter_user_first_name_max_length")]

    operations = [migrations.RunPython(merge, split)]
