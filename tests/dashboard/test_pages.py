"""Who sees the dashboard and what: scoping, filters, navigation, bad input, downloads
read back, and a bounded number of queries."""

import datetime
import io
import re

import openpyxl
import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from pypdf import PdfReader

from organization.models import StaffMembership
from tests import factories
from tests.dashboard.conftest import WIB, head_of
from workflow.models import ServiceRequest, Task

pytestmark = pytest.mark.django_db
URL = "/staf/dasbor/"


@pytest.fixture(autouse=True)
def _twentieth_of_november():
    with time_machine.travel(datetime.datetime(2026, 11, 20, 12, tzinfo=WIB), tick=False):
        yield


def test_a_head_of_office_sees_the_whole_office(client, head, november):
    client.force_login(head)
    page = client.get(URL)
    assert page.status_code == 200
    assert page.context["scope"].unit is None
    assert page.context["f"]["totals"]["received"] == 5  # 1 to 20 November: this month
    html = page.content.decode()
    assert 'href="/staf/dasbor/"' in html  # the staff navigation links it
    assert "Semua unit" in html


def test_the_head_picks_a_unit_and_a_period(client, head, november):
    client.force_login(head)
    page = client.get(URL, {"unit": "phu", "dari": "2026-11-01", "sampai": "2026-11-15"})
    assert page.status_code == 200
    assert page.context["scope"].unit.code == "phu"
    # paspor requests received 1 to 15 November: r1, r2
    assert page.context["f"]["totals"]["received"] == 2


def test_a_plt_heads_the_office_and_the_holder_they_replace_does_not(client, office, november):
    holder, position = head_of(office)
    acting = factories.EmployeeFactory(user=factories.UserFactory(username="plt"))
    factories.ActingAssignmentFactory(employee=acting, position=position)
    client.force_login(acting.user)
    assert client.get(URL).status_code == 200
    client.force_login(holder)
    assert client.get(URL).status_code == 403


def test_a_supervisor_sees_their_unit_only(client, supervisor, november):
    client.force_login(supervisor)
    page = client.get(URL, {"unit": "ptsp"})  # not theirs: their own unit instead
    assert page.status_code == 200
    assert page.context["scope"].unit.code == "phu"
    assert [u["unit"] for u in page.context["f"]["per_unit"]] == ["Seksi PHU"]
    assert "Semua unit" not in page.content.decode()


def test_another_office_cannot_be_asked_for(client, head, november):
    factories.OfficeFactory(code="MJB")
    client.force_login(head)
    page = client.get(URL, {"kantor": "MJB"})
    assert page.context["scope"].office.code == "KJB"


@pytest.mark.parametrize("role", ["staff", "clerk", "hr"])
def test_staff_clerks_and_hr_are_refused_and_not_offered_the_link(client, units, role):
    user = factories.UserFactory(username=f"u_{role}")
    StaffMembership.objects.create(user=user, unit=units["ptsp"], role=role)
    client.force_login(user)
    assert client.get(URL).status_code == 403
    assert client.get(URL + "laporan.pdf").status_code == 403
    assert client.get(URL + "laporan.xlsx").status_code == 403
    assert 'href="/staf/dasbor/"' not in client.get("/staf/").content.decode()


def _nav(html: str) -> list[str]:
    return re.findall(
        r'<li><a href="([^"]+)"', re.search(r"<nav aria-label.*?</nav>", html, re.S)[0]
    )


def test_the_queue_page_offers_the_links_every_staff_page_offers(client, units, office):
    """The queue page reads the header's dashboard and counter links with the queue's
    reach (workflow/views_queue.py), the other pages through the context processors."""
    holder, position = head_of(office)
    people = {"head": holder}
    for role in ("staff", "clerk", "supervisor"):
        people[role] = factories.UserFactory(username=f"nav_{role}")
        StaffMembership.objects.create(user=people[role], unit=units["ptsp"], role=role)
    people["root"] = factories.UserFactory(username="nav_root", is_superuser=True)

    def links(user):
        client.force_login(user)
        queue, other = (
            _nav(client.get(path).content.decode()) for path in ("/staf/", "/staf/skp/")
        )
        assert queue == other, user.username
        return {link for link in queue if link in ("/staf/dasbor/", "/staf/loket/")}

    assert {name: links(user) for name, user in people.items()} == {
        "head": {"/staf/dasbor/"},
        "staff": set(),
        "clerk": {"/staf/loket/"},
        "supervisor": {"/staf/dasbor/"},
        "root": {"/staf/dasbor/"},
    }
    plt = factories.EmployeeFactory(user=factories.UserFactory(username="plt_nav"))
    factories.ActingAssignmentFactory(employee=plt, position=position)
    assert links(plt.user) == {"/staf/dasbor/"}
    assert links(holder) == set()  # the PLT acts for the position today


def test_an_admin_login_that_is_not_a_superuser_is_refused(client, office):
    admin = factories.UserFactory(username="admin_kantor", is_staff=True)
    client.force_login(admin)
    assert client.get(URL).status_code == 403


def test_a_superuser_sees_every_office(client, office, november):
    factories.OfficeFactory(code="MJB", name="Kantor Muaro Jambi")
    root = factories.UserFactory(username="root", is_superuser=True, is_staff=True)
    client.force_login(root)
    page = client.get(URL, {"kantor": "MJB"})
    assert page.status_code == 200 and page.context["scope"].office.code == "MJB"
    from organization.models import Office

    every = set(Office.objects.values_list("code", flat=True))
    assert {o.code for o in page.context["allowed"].offices} == every >= {"KJB", "MJB"}


def test_anonymous_visitors_are_sent_to_the_login(client):
    response = client.get(URL)
    assert response.status_code == 302 and response["Location"].startswith("/staf/masuk/")


@pytest.mark.parametrize(
    ("query", "field"),
    [
        ({"dari": "2026-13-01"}, "dari"),
        ({"dari": "kemarin"}, "dari"),
        ({"dari": "2026-11-10", "sampai": "2026-11-01"}, "sampai"),
        ({"dari": "2026-11-01", "sampai": "2026-12-31"}, "sampai"),  # after today
        ({"dari": "1999-12-31"}, "dari"),
        ({"dari": "2023-01-01", "sampai": "2026-11-01"}, "sampai"),  # over two years
        ({"dari": "9999-12-31", "sampai": "9999-12-31"}, "dari"),
    ],
)
def test_a_bad_period_is_a_clear_400(client, head, query, field):
    client.force_login(head)
    page = client.get(URL, query)
    assert page.status_code == 400
    assert page.context["form"].errors[field]
    assert page.context["f"] is None
    assert "Perbaiki periode" in page.content.decode()
    assert client.get(URL + "laporan.pdf", query).status_code == 400


def test_the_pdf_report_opens_with_the_letterhead_and_the_figures(client, head, november):
    client.force_login(head)
    response = client.get(URL + "laporan.pdf", {"dari": "2026-11-01", "sampai": "2026-11-20"})
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert "laporan-layanan-KJB-2026-11-01-2026-11-20.pdf" in response["Content-Disposition"]
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(page.extract_text() for page in reader.pages)
    assert "KANTOR KEMENTERIAN AGAMA KOTA JAMBI" in text  # the letterhead
    assert "Laporan kinerja layanan" in text
    assert "Rekomendasi paspor" in text and "87,50" in text
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages
        for font in page["/Resources"]["/Font"].values()
    }
    # embedded TrueType subsets only (the "ABCDEF+" prefix), never a reader's Helvetica
    assert fonts and all("+BitstreamVera" in f for f in fonts), fonts


def test_a_whole_month_is_titled_as_the_monthly_report(client, head, november):
    client.force_login(head)
    with time_machine.travel(datetime.datetime(2026, 12, 3, 9, tzinfo=WIB), tick=False):
        response = client.get(URL + "laporan.pdf", {"dari": "2026-11-01", "sampai": "2026-11-30"})
    text = PdfReader(io.BytesIO(response.content)).pages[0].extract_text()
    assert "November 2026" in text


def test_the_excel_workbook_opens_with_numbers_as_numbers(client, head, november):
    client.force_login(head)
    response = client.get(URL + "laporan.xlsx", {"dari": "2026-11-01", "sampai": "2026-11-20"})
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    book = openpyxl.load_workbook(io.BytesIO(response.content))
    assert {"summary", "weekly", "services", "units", "steps", "median", "ikm"} <= set(
        book.sheetnames
    )
    services = [row for row in book["services"].iter_rows(values_only=True) if row]
    assert ("Legalisir ijazah", "3 hari kerja", 2, 1, 1, 0.5) in services  # 1 to 20 Nov
    units = [row for row in book["units"].iter_rows(values_only=True) if row]
    assert ("PTSP", 2, 1) in units
    ikm = [row for row in book["ikm"].iter_rows(values_only=True) if row]
    assert ("Periode ini", 87.5, "B", 2) in ikm


def _bulk(office, services, how_many):
    """`how_many` requests, each with an open task and a decided one and a message."""
    from notifications.models import Message

    step = services["steps"]["paspor1"]
    at = datetime.datetime(2026, 11, 10, 9, tzinfo=WIB)
    requests = ServiceRequest.objects.bulk_create(
        ServiceRequest(
            service=services["paspor"],
            office=office,
            registration_number=f"KJB-2026-B{n:05d}",
            registration_key=f"KJB2026B{n:05d}",
            access_token=f"bulk-token-{n}",
            channel="counter" if n % 3 else "online",
            applicant_name="Pemohon",
            applicant_phone="+6281234567890",
            submitted_at=at,
            due_date=datetime.date(2026, 11, 17),
        )
        for n in range(how_many)
    )
    Task.objects.bulk_create(
        Task(
            request=r,
            step=step,
            unit=step.unit,
            status="done",
            created_at=at,
            completed_at=at + datetime.timedelta(hours=n % 7),
            due_date=datetime.date(2026, 11, 11),
            decision="approve",
        )
        for n, r in enumerate(requests)
    )
    Task.objects.bulk_create(
        Task(request=r, step=services["steps"]["paspor2"], unit=step.service.unit,
             created_at=at, due_date=datetime.date(2026, 11, 12))
        for r in requests
    )  # fmt: skip
    Message.objects.bulk_create(
        Message(request=r, kind="submitted", recipient="+6281234567890", body="x",
                idempotency_key=f"bulk:{r.pk}", status="delivered")
        for r in requests
    )  # fmt: skip


@pytest.mark.parametrize("page", ["", "laporan.pdf", "laporan.xlsx"])
def test_queries_do_not_grow_with_requests(client, head, office, services, page):
    client.force_login(head)
    query = {"dari": "2026-11-01", "sampai": "2026-11-20"}
    _bulk(office, services, 1)
    client.get(URL + page, query)  # the session's first page
    with CaptureQueriesContext(connection) as one:
        assert client.get(URL + page, query).status_code == 200
    _bulk_more = 999
    ServiceRequest.objects.filter(registration_number__startswith="KJB-2026-B").delete()
    _bulk(office, services, 1 + _bulk_more)
    with CaptureQueriesContext(connection) as thousand:
        response = client.get(URL + page, query)
    assert response.status_code == 200
    if not page:
        assert response.context["f"]["totals"]["received"] == 1000
    assert len(thousand) == len(one), [q["sql"][:120] for q in thousand]
