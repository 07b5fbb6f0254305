"""Generated result letters: numbering, the signing official of the day, PAdES signature
valid by pyHanko's own validator and broken by one changed byte."""

import datetime
import io

import pytest
from asn1crypto import x509 as asn1_x509
from cryptography.hazmat.primitives import serialization
from pyhanko.pdf_utils.reader import PdfFileReader
from pyhanko.sign.validation import validate_pdf_signature
from pyhanko_certvalidator import ValidationContext

from config.exceptions import ApplicationError, Conflict
from documents import services
from documents.models import IssuedDocument, LetterCounter, LetterNumbering
from documents.signing import SigningUnavailable
from tests import factories
from tests.documents.fixtures import at_result_step
from tests.pdfcheck import assert_fonts_embedded, pdf_qr_codes
from workflow.models import RequestStatus

pytestmark = pytest.mark.django_db


def _validation_context(ca_cert):
    root = asn1_x509.Certificate.load(ca_cert.public_bytes(serialization.Encoding.DER))
    return ValidationContext(trust_roots=[root])


def _signature_status(pdf_bytes, ca_cert):
    reader = PdfFileReader(io.BytesIO(pdf_bytes))
    (signature,) = reader.embedded_signatures
    return validate_pdf_signature(signature, _validation_context(ca_cert))


@pytest.fixture
def issued(umrah, staff, tu_staff, letter_template, signing_keys):
    req, task = at_result_step(umrah, staff, tu_staff)
    document = services.result_letter_issue(task=task, user=tu_staff, note="Silakan unduh.")
    req.refresh_from_db()
    return req, document


def test_letter_completes_the_request_with_the_signed_pdf(issued, signing_keys):
    req, document = issued
    assert req.status == RequestStatus.COMPLETED
    pdf = req.result_document.read()
    import hashlib

    assert hashlib.sha256(pdf).hexdigest() == document.sha256
    assert document.kind == IssuedDocument.Kind.LETTER
    assert document.signer_name == "H. Ahmad Fauzi"
    assert document.signer_title == "Kepala Kantor Kementerian Agama Kota Jambi"
    year, month = document.issued_at.year, document.issued_at.month
    roman = ["I", "II", "III", "IV", "V", "VI", "VII", "VIII", "IX", "X", "XI", "XII"][month - 1]
    assert document.letter_number == f"B-0001/KJB/HJ.00/{roman}/{year}"
    # one verification record only: the upload listener recognises the letter
    assert IssuedDocument.objects.filter(request=req).count() == 1


def test_pades_signature_validates_with_pyhanko(issued, signing_keys):
    req, _document = issued
    pdf = req.result_document.read()
    status = _signature_status(pdf, signing_keys)
    assert status.intact and status.valid and status.trusted
    assert status.bottom_line
    assert b"/FontFile2" in pdf and b"BitstreamVeraSans" in pdf  # fonts embedded
    assert_fonts_embedded(pdf)
    # its QR code (organization.letterhead.draw_qr) scans to the verification page
    assert pdf_qr_codes(pdf) == [f"http://127.0.0.1:8000/verifikasi/{_document.code}/"]
    assert "/ETSI.CAdES.detached" in repr(
        PdfFileReader(io.BytesIO(pdf)).embedded_signatures[0].sig_object["/SubFilter"]
    )


def test_one_changed_byte_breaks_the_signature(issued, signing_keys):
    req, _document = issued
    pdf = bytearray(req.result_document.read())
    reader = PdfFileReader(io.BytesIO(bytes(pdf)))
    byte_range = reader.embedded_signatures[0].byte_range
    start, length = int(byte_range[0]), int(byte_range[1])
    # change one byte inside the signed range (the page content, not the signature itself)
    position = start + length // 2
    pdf[position] = (pdf[position] + 1) % 256
    status = _signature_status(bytes(pdf), signing_keys)
    assert not status.intact
    assert not status.bottom_line


def test_untrusted_root_is_not_trusted(issued, tmp_path):
    """The signature is only as good as the trust root: another CA does not vouch for it."""
    from tests.documents.fixtures import make_signing_ca

    req, _document = issued
    other_ca, _path = make_signing_ca(tmp_path)
    status = _signature_status(req.result_document.read(), other_ca)
    assert status.intact
    assert not status.trusted


def test_numbers_follow_the_office_pattern_and_count_per_year(
    umrah, staff, tu_staff, letter_template, signing_keys
):
    LetterNumbering.objects.create(
        office=umrah.unit.office, pattern="{seq}/Kk.05.01/{classification}/{month}/{year}"
    )
    numbers = []
    for _i in range(2):
        _req, task = at_result_step(umrah, staff, tu_staff)
        numbers.append(services.result_letter_issue(task=task, user=tu_staff).letter_number)
    month = datetime.date.today().strftime("%m")
    year = datetime.date.today().year
    assert numbers == [
        f"0001/Kk.05.01/HJ.00/{month}/{year}",
        f"0002/Kk.05.01/HJ.00/{month}/{year}",
    ]


def test_plt_signs_with_the_label(umrah, staff, tu_staff, letter_template, signing_keys):
    acting = factories.EmployeeFactory(name="Dra. Nurhayati", user=None)
    factories.ActingAssignmentFactory(employee=acting, position=letter_template.signing_position)
    _req, task = at_result_step(umrah, staff, tu_staff)
    document = services.result_letter_issue(task=task, user=tu_staff)
    assert document.signer_name == "Dra. Nurhayati"
    assert document.signer_title == "Plt. Kepala Kantor Kementerian Agama Kota Jambi"


def test_vacant_signing_position_refuses_and_gives_the_number_back(
    umrah, staff, tu_staff, letter_template, signing_keys
):
    letter_template.signing_position.holdings.all().delete()
    req, task = at_result_step(umrah, staff, tu_staff)
    with pytest.raises(ApplicationError):
        services.result_letter_issue(task=task, user=tu_staff)
    req.refresh_from_db()
    assert req.status == RequestStatus.IN_PROGRESS
    assert not IssuedDocument.objects.exists()
    assert not LetterCounter.objects.filter(last__gt=0).exists()


def test_no_certificate_configured_is_a_clear_error(
    settings, umrah, staff, tu_staff, letter_template
):
    settings.DOCUMENT_SIGNING_KEYS = {}
    req, task = at_result_step(umrah, staff, tu_staff)
    with pytest.raises(SigningUnavailable):
        services.result_letter_issue(task=task, user=tu_staff)
    req.refresh_from_db()
    assert req.status == RequestStatus.IN_PROGRESS
    assert not req.result_document


def test_refused_approval_rolls_the_letter_back(
    umrah, staff, staff2, tu_staff, letter_template, signing_keys
):
    """Someone who may not decide the task gets the workflow's answer, and nothing stays."""
    from workflow.services import task_claim

    req, task = at_result_step(umrah, staff, tu_staff)
    other = factories.UserFactory(username="petugas_tu2")
    from organization.models import StaffMembership

    StaffMembership.objects.create(user=other, unit=task.unit, role="staff")
    task_claim(task=task, user=other)
    with pytest.raises(Conflict):
        services.result_letter_issue(task=task, user=tu_staff)
    assert not IssuedDocument.objects.exists()
    assert not LetterCounter.objects.filter(last__gt=0).exists()


def test_uploaded_result_gets_a_verification_record(umrah, staff, tu_staff):
    from workflow.services import task_complete

    req, task = at_result_step(umrah, staff, tu_staff)
    task_complete(task=task, user=tu_staff, decision="approve", result_file=factories.pdf_upload())
    document = IssuedDocument.objects.get(request=req)
    assert document.kind == IssuedDocument.Kind.UPLOAD
    import hashlib

    assert document.sha256 == hashlib.sha256(factories.PDF_BYTES).hexdigest()
    assert document.letter_number == ""
