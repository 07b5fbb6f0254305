"""Result-letter fixtures: a throw-away CA and office certificate (PKCS#12), a letter
template for the umrah service, and a request brought to its result step."""

import pytest

from documents.devcert import make_signing_ca as _make_signing_ca
from documents.models import LetterTemplate
from organization.models import PositionKind
from tests import factories

PASSPHRASE = "rahasia-p12"


def make_signing_ca(folder):
    return _make_signing_ca(folder, passphrase=PASSPHRASE)


@pytest.fixture(scope="session")
def signing_ca(tmp_path_factory):
    return make_signing_ca(tmp_path_factory.mktemp("signing"))


@pytest.fixture
def signing_keys(settings, signing_ca):
    ca_cert, path = signing_ca
    settings.DOCUMENT_SIGNING_KEYS = {"*": {"pkcs12": str(path), "passphrase": PASSPHRASE}}
    return ca_cert


@pytest.fixture
def head_of_office(umrah):
    """The definitive Kepala Kantor of the umrah service's office."""
    office = umrah.unit.office
    office.city = "Jambi"
    office.address = "Jl. Jenderal Sudirman No. 1"
    office.save()
    unit = factories.UnitFactory(office=office, code="pimpinan", name="Pimpinan")
    position = factories.PositionFactory(
        unit=unit, name="Kepala Kantor Kementerian Agama Kota Jambi", kind=PositionKind.JPT
    )
    employee = factories.EmployeeFactory(name="H. Ahmad Fauzi", user=None)
    factories.PositionHoldingFactory(employee=employee, position=position)
    return position


@pytest.fixture
def letter_template(umrah, head_of_office):
    return LetterTemplate.objects.create(
        service=umrah,
        title="Surat Rekomendasi Paspor Umrah",
        classification="HJ.00",
        body=(
            "Yang bertanda tangan di bawah ini menerangkan bahwa {{ applicant_name }} "
            "akan menunaikan ibadah umrah bersama {{ data.nama_ppiu }}.\n\n"
            "Demikian surat rekomendasi ini dibuat untuk pengurusan paspor."
        ),
        signing_position=head_of_office,
    )


def at_result_step(service, staff, tu_staff, *, applicant=None):
    """A submitted umrah request approved through steps 1 and 2; returns (request, task)."""
    from workflow.services import task_complete

    req = factories.submit_request(service, applicant=applicant)
    for _step in (1, 2):
        task_complete(task=req.tasks.get(status="open"), user=staff, decision="approve")
    req.refresh_from_db()
    return req, req.tasks.get(status="open")
