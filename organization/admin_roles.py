"""The admin's two roles as Django groups, kept in step with the code by every `migrate`:
what an office administrator and an office's personnel (HR) administrator may touch.
Which office they reach is their StaffMembership (role `admin` / `hr`, organization
.admin_scope); these groups only say which tables. A superuser may add to a group, but
the permissions listed here are restored by the next migrate."""

from django.apps import apps

OFFICE_ADMIN_GROUP = "Administrator kantor"
HR_ADMIN_GROUP = "Pengelola kepegawaian"

_EDIT = ("view", "add", "change", "delete")
GROUP_PERMISSIONS = {
    OFFICE_ADMIN_GROUP: {
        "services_catalog.servicetype": _EDIT,
        "services_catalog.formfield": _EDIT,
        "services_catalog.requireddocument": _EDIT,
        "services_catalog.step": _EDIT,
        "documents.lettertemplate": _EDIT,
        "documents.letternumbering": _EDIT,
        "notifications.messagetemplate": _EDIT,
        "notifications.message": ("view",),
        "workflow.servicerequest": ("view",),
        "documents.issueddocument": ("view",),
        "organization.office": ("view", "change"),
        "organization.unit": _EDIT,
        "organization.position": _EDIT,
        "organization.employee": ("view",),
        "organization.positionholding": ("view",),
        "organization.actingassignment": _EDIT,
        "organization.staffmembership": ("view",),
    },
    HR_ADMIN_GROUP: {
        "organization.office": ("view", "change"),
        "organization.unit": ("view", "add", "change"),
        "organization.position": ("view", "add", "change"),
        "organization.employee": ("view", "add", "change"),
        "organization.positionholding": _EDIT,
        "organization.actingassignment": _EDIT,
        "personnel.consistencyissue": ("view",),
    },
}
# Permissions of a model's own Meta.permissions (not view/add/change/delete): the one HR
# role also imports SIASN data and works the consistency monitor (personnel 0004 merged
# the former 'Kepegawaian' group into this one).
GROUP_CUSTOM_PERMISSIONS = {HR_ADMIN_GROUP: ["personnel.reconcile_personnel"]}


def admin_groups_ensure():
    """Create the groups and set exactly their permissions (idempotent)."""
    from django.contrib.auth.models import Group, Permission

    for name, grants in GROUP_PERMISSIONS.items():
        group, _ = Group.objects.get_or_create(name=name)
        wanted = []
        for label, actions in grants.items():
            app_label, model = label.split(".")
            codenames = [f"{action}_{model}" for action in actions]
            wanted += Permission.objects.filter(
                content_type__app_label=app_label, codename__in=codenames
            )
        for label in GROUP_CUSTOM_PERMISSIONS.get(name, ()):
            app_label, codename = label.split(".")
            wanted += Permission.objects.filter(
                content_type__app_label=app_label, codename=codename
            )
        group.permissions.set(wanted)


def on_post_migrate(sender, **kwargs):
    # Every app's permissions exist once the last app has migrated.
    if sender is list(apps.get_app_configs())[-1]:
        admin_groups_ensure()
