"""personnel/bulk.py: the import's COPY writes rows as bulk_create would, ids included."""

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from personnel.bulk import copy_create
from personnel.models import ConsistencyIssue, IssueAction, SiasnImport, SiasnRecord

pytestmark = pytest.mark.django_db


def record(nip, siasn_import, **fields):
    now = timezone.now()
    return SiasnRecord(
        nip=nip, fingerprint="f", imported=siasn_import, last_seen=siasn_import, imported_at=now,
        **fields,
    )  # fmt: skip


def test_rows_come_back_with_their_ids_and_the_sequence_moves_on():
    siasn_import = SiasnImport.objects.create(source=SiasnImport.Source.COMMAND)
    now = timezone.now()
    issues = [
        ConsistencyIssue(nip=f"19800101200501100{i}", issue_class="MISSING_LOCAL",
                         detected_at=now, updated_at=now, local_value="", bkn_value=f"v{i}")
        for i in range(3)
    ]  # fmt: skip
    copy_create(ConsistencyIssue, issues)
    assert all(i.pk and not i._state.adding for i in issues)
    copy_create(IssueAction, [IssueAction(issue=i, kind="detected", at=now) for i in issues])
    stored = ConsistencyIssue.objects.order_by("pk")
    assert [(i.pk, i.bkn_value, i.status) for i in stored] == [
        (i.pk, i.bkn_value, "open") for i in issues
    ]
    assert [a.issue_id for a in IssueAction.objects.order_by("pk")] == [i.pk for i in issues]
    later = SiasnRecord.objects.create(
        nip="1", fingerprint="f", imported=siasn_import, last_seen=siasn_import, imported_at=now
    )
    copied = copy_create(SiasnRecord, [record("2", siasn_import, tanggal_lahir=now.date())])[0]
    after = SiasnRecord.objects.create(
        nip="3", fingerprint="f", imported=siasn_import, last_seen=siasn_import, imported_at=now
    )
    assert later.pk < copied.pk < after.pk
    assert SiasnRecord.objects.get(pk=copied.pk).tanggal_lahir == now.date()


def test_a_duplicate_fails_the_whole_copy():
    siasn_import = SiasnImport.objects.create(source=SiasnImport.Source.COMMAND)
    with pytest.raises(IntegrityError), transaction.atomic():
        copy_create(SiasnRecord, [record("7", siasn_import), record("7", siasn_import)])
    assert not SiasnRecord.objects.exists()
