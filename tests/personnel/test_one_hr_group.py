"""#16: one HR role is one group. personnel/migrations/0004 merges the former 'Kepegawaian'
group (SIASN import, consistency monitor) into 'Pengelola kepegawaian' (the admin's HR
tables): members and permissions move to the kept group, nobody loses access, and the
next migrate's group sync (admin_roles) keeps it so."""

import importlib

import pytest
from django.apps import apps
from django.contrib.auth.models import Group, Permission

from organization.admin_roles import HR_ADMIN_GROUP, admin_groups_ensure
from personnel.selectors import may_reconcile
from tests import factories

pytestmark = pytest.mark.django_db

merge = importlib.import_module("personnel.migrations.0004_one_hr_group").merge


def _perm(app_label, codename):
    return Permission.objects.get(content_type__app_label=app_label, codename=codename)


def _access(user) -> set[str]:
    return type(user).objects.get(pk=user.pk).get_all_permissions()  # no cached perms


def test_the_migrated_database_has_one_hr_group_that_may_reconcile():
    admin_groups_ensure()  # what every migrate ends with
    assert not Group.objects.filter(name="Kepegawaian").exists()
    user = factories.UserFactory(username="ratna")
    user.groups.add(Group.objects.get(name=HR_ADMIN_GROUP))
    assert may_reconcile(type(user).objects.get(pk=user.pk))
    assert "organization.change_employee" in _access(user)


def test_merging_moves_members_and_permissions_and_nobody_loses_access():
    admin_groups_ensure()
    kept = Group.objects.get(name=HR_ADMIN_GROUP)
    old = Group.objects.create(name="Kepegawaian")
    old.permissions.add(
        _perm("personnel", "reconcile_personnel"),
        _perm("personnel", "view_siasnimport"),  # added by hand by a superuser
    )
    only_old, both, only_kept = (factories.UserFactory(username=n) for n in ("a", "b", "c"))
    only_old.groups.add(old)
    both.groups.add(old, kept)
    only_kept.groups.add(kept)
    before = {u.pk: _access(u) for u in (only_old, both, only_kept)}

    merge(apps, None)
    admin_groups_ensure()  # the next migrate sets the kept group's list exactly

    assert not Group.objects.filter(name="Kepegawaian").exists()
    assert set(kept.user_set.values_list("username", flat=True)) == {"a", "b", "c"}
    assert kept.permissions.filter(codename="reconcile_personnel").exists()
    for user in (only_old, both, only_kept):
        after = _access(user)
        assert before[user.pk] <= after, before[user.pk] - after
        assert "personnel.reconcile_personnel" in after
    assert "personnel.view_siasnimport" in _access(only_old)  # kept, given directly


def test_merging_without_the_old_group_changes_nothing():
    admin_groups_ensure()
    merge(apps, None)
    assert list(
        Group.objects.filter(name__icontains="kepegawaian").values_list("name", flat=True)
    ) == [HR_ADMIN_GROUP]
