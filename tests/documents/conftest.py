import pytest

from tests.documents.fixtures import at_result_step

APPLICANT = {"name": "Nur Hasanah Rahmadani", "phone": "0812-3456-7890", "nik": "1571015503900007"}


@pytest.fixture
def at_result(umrah, staff, tu_staff):
    """A request of the applicant above at its result step: (request, open task)."""
    req, task = at_result_step(umrah, staff, tu_staff, applicant=APPLICANT)
    # The privacy checks look for these values: they must be the request's own.
    assert (req.applicant_name, req.applicant_nik) == (APPLICANT["name"], APPLICANT["nik"])
    return req, task
