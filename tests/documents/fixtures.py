"""Result-letter fixtures: a throw-away CA and office certificate (PKCS#12), a letter
template for the umrah service, and a request brought to its result step."""

import datetime

import pytest
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from cryptography.hazmat.primitives.serialization import pkcs12
from cryptography.x509.oid import NameOID

from documents.models import LetterTemplate
from organization.models import PositionKind
from tests import factories

PASSPHRASE = "rahasia-p12"


def _name(common_name):
    return x509.Name(
        [
            x509.NameAttribute(NameOID.COUNTRY_NAME, "ID"),
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, "Kementerian Agama (test)"),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def make_signing_ca(folder):
    """A CA and an office certificate it issued; returns (ca_cert, pkcs12_path)."""
    now = datetime.datetime.now(datetime.UTC)
    ca_key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    ca_cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Alur Test Root CA"))
        .issuer_name(_name("Alur Test Root CA"))
        .public_key(ca_key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=365))
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=False,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=True,
                crl_sign=True,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    cert = (
        x509.CertificateBuilder()
        .subject_name(_name("Kankemenag Kota Jambi"))
        .issuer_name(ca_cert.subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(days=1))
        .not_valid_after(now + datetime.timedelta(days=180))
        .add_extension(x509.BasicConstraints(ca=False, path_length=None), critical=True)
        .add_extension(
            x509.KeyUsage(
                digital_signature=True,
                content_commitment=True,
                key_encipherment=False,
                data_encipherment=False,
                key_agreement=False,
                key_cert_sign=False,
                crl_sign=False,
                encipher_only=False,
                decipher_only=False,
            ),
            critical=True,
        )
        .sign(ca_key, hashes.SHA256())
    )
    p12 = pkcs12.serialize_key_and_certificates(
        b"office",
        key,
        cert,
        [ca_cert],
        serialization.BestAvailableEncryption(PASSPHRASE.encode()),
    )
    path = folder / "office.p12"
    path.write_bytes(p12)
    return ca_cert, path


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


def at_result_step(service, staff, tu_staff):
    """A submitted umrah request approved through steps 1 and 2; returns (request, task)."""
    from workflow.services import task_complete

    req = factories.submit_request(service)
    for _step in (1, 2):
        task_complete(task=req.tasks.get(status="open"), user=staff, decision="approve")
    req.refresh_from_db()
    return req, req.tasks.get(status="open")
