"""#17: a result's files follow the approval's transaction. A stamped copy (and the upload
it was made from) written inside an approval that then rolls back leaves nothing in
media; a committed approval keeps the stamped copy and removes the superseded upload.
Real commits and rollbacks (transaction=True), files on the real media storage."""

import pathlib

import pytest
from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import transaction

from config.transactional_files import file_written, files_follow_transaction
from documents.models import IssuedDocument
from tests import factories
from tests.documents.test_uploaded_result import office_pdf
from workflow.models import RequestStatus
from workflow.services import task_complete
from workflow.signals import request_transitioned

pytestmark = pytest.mark.django_db(transaction=True)


def media_files() -> set[str]:
    root = pathlib.Path(settings.MEDIA_ROOT)
    return {str(p.relative_to(root)) for p in root.rglob("*") if p.is_file()}


def approve_with_upload(task, user):
    return task_complete(
        task=task,
        user=user,
        decision="approve",
        result_file=factories.pdf_upload("hasil.pdf", office_pdf()),
    )


@pytest.fixture
def a_later_listener_fails():
    """A listener after the documents' one fails: the stamped copy is written by then."""
    seen = []

    def fail(sender, *, request, **kwargs):
        name = request.result_document.name
        seen.append((name, default_storage.exists(name)))
        raise RuntimeError("a later listener fails")

    request_transitioned.connect(fail, weak=False, dispatch_uid="test-later-listener")
    yield seen
    request_transitioned.disconnect(dispatch_uid="test-later-listener")


def test_a_rolled_back_approval_leaves_no_stamped_copy_nor_upload(
    at_result, tu_staff, a_later_listener_fails
):
    req, task = at_result
    before = media_files()
    with pytest.raises(RuntimeError):
        approve_with_upload(task, tu_staff)
    [(stamped, existed)] = a_later_listener_fails
    assert existed and stamped.endswith(".pdf")  # the copy was on disk mid-approval
    assert media_files() == before  # and is gone with the upload
    req.refresh_from_db()
    assert req.status == RequestStatus.IN_PROGRESS and not req.result_document
    assert not IssuedDocument.objects.filter(request=req).exists()


def test_a_callers_rollback_after_the_approval_leaves_nothing_either(at_result, tu_staff):
    req, task = at_result
    before = media_files()
    with pytest.raises(RuntimeError), files_follow_transaction():
        approve_with_upload(task, tu_staff)
        assert len(media_files() - before) == 2  # the upload and its stamped copy
        raise RuntimeError("the caller's next write fails")
    assert media_files() == before
    assert not IssuedDocument.objects.filter(request=req).exists()


def test_a_committed_approval_keeps_the_stamped_copy_only(at_result, tu_staff):
    req, task = at_result
    before = media_files()
    approve_with_upload(task, tu_staff)
    req.refresh_from_db()
    assert req.status == RequestStatus.COMPLETED
    assert media_files() - before == {req.result_document.name}  # the upload removed
    document = IssuedDocument.objects.get(request=req)
    assert document.size == default_storage.size(req.result_document.name)


def test_a_file_of_a_rolled_back_savepoint_goes_and_its_siblings_stay():
    with files_follow_transaction():
        kept = default_storage.save("test-follow/kept.txt", ContentFile(b"kept"))
        file_written(default_storage, kept)
        try:
            with transaction.atomic():
                dropped = default_storage.save("test-follow/dropped.txt", ContentFile(b"x"))
                file_written(default_storage, dropped)
                raise ValueError
        except ValueError:
            pass
    assert default_storage.exists(kept) and not default_storage.exists(dropped)
    default_storage.delete(kept)


def test_a_file_written_outside_the_block_is_refused():
    with pytest.raises(RuntimeError), transaction.atomic():
        file_written(default_storage, "nowhere.txt")
