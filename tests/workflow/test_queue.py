"""The staff queue /staf/: search (?q=, CONTRACT.md section 7), filters, tabs and their
counts, pages that keep the filters, bulk claim/assign, exports, the header's badge."""

import csv
import datetime
import io

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from openpyxl import load_workbook

from tests import factories
from tests.workflow.fixtures import umrah_data
from workflow import services
from workflow.models import Channel, Task

pytestmark = pytest.mark.django_db

NIK_A = "3273015508900001"
NIK_B = "1571024107850002"


def new_request(service, name="Siti Aminah", nik=NIK_A, **kwargs):
    return factories.submit_request(
        service,
        data=umrah_data(),
        applicant={"name": name, "phone": "0812-3456-7890", "nik": nik},
        **kwargs,
    )


def rows(client, url):
    page = client.get(url)
    assert page.status_code == 200
    text = page.content.decode()
    return text, [part.split('"', 1)[0] for part in text.split('data-number="')[1:]]


def foreign_request(outsider, name="Siti Lain"):
    """A request of another office's unit (the outsider's)."""
    service = factories.ServiceTypeFactory(unit=outsider.memberships.get().unit)
    factories.StepFactory(service=service)
    return factories.submit_request(
        service, data={}, applicant={"name": name, "phone": "0812-3456-7890", "nik": NIK_A}
    )


@pytest.fixture
def three(umrah):
    a = new_request(umrah, name="Siti Aminah", nik=NIK_A)
    b = new_request(umrah, name="Budi Santoso", nik=NIK_B)
    c = new_request(umrah, name="Ahmad Siti Rahman", nik="1571010101010003")
    return a, b, c


def test_search_by_number_name_and_nik(client, umrah, staff, three):
    a, b, c = three
    client.force_login(staff)
    base = "/staf/?scope=queue&q="
    # the number as typed at a counter: lower case, no hyphens, or only its tail
    typed = a.registration_number.lower().replace("-", "")
    assert rows(client, base + typed)[1] == [a.registration_number]
    assert rows(client, base + a.registration_number.split("-", 2)[2])[1] == [a.registration_number]
    # any part of the name, any case
    assert sorted(rows(client, base + "siti")[1]) == sorted(
        [a.registration_number, c.registration_number]
    )
    assert rows(client, base + "SANTOSO")[1] == [b.registration_number]
    # the whole NIK, or its first digits
    assert rows(client, base + NIK_B)[1] == [b.registration_number]
    assert sorted(rows(client, base + "157102")[1]) == [b.registration_number]
    # nothing matches: said so
    text, found = rows(client, base + "tidak-ada-orang-ini")
    assert found == [] and "Tidak ada tugas yang cocok" in text


def test_search_never_reaches_another_unit(client, umrah, outsider, three):
    client.force_login(outsider)
    for q in ("siti", NIK_A, three[0].registration_number):
        for scope in ("mine", "queue", "all"):
            assert rows(client, f"/staf/?scope={scope}&q={q}")[1] == []


def test_filters_channel_step_overdue_mine_and_sort(client, umrah, staff, supervisor, clerk):
    online = new_request(umrah)
    counter = new_request(umrah, channel=Channel.COUNTER, acting_user=clerk)
    late = new_request(umrah)
    Task.objects.filter(request=late).update(due_date=datetime.date(2020, 1, 2))
    client.force_login(staff)
    assert rows(client, "/staf/?scope=queue&channel=counter")[1] == [counter.registration_number]
    assert rows(client, "/staf/?scope=queue&channel=online")[1] == [
        late.registration_number,
        online.registration_number,
    ]
    assert rows(client, "/staf/?scope=queue&overdue=true")[1] == [late.registration_number]
    assert rows(client, "/staf/?scope=queue&step=2")[1] == []
    assert rows(client, "/staf/?scope=queue&service=lain")[1] == []
    latest_first = rows(client, "/staf/?scope=queue&sort=-due")[1]
    assert latest_first[-1] == late.registration_number
    # "assigned to me" in the whole-units tab of a supervisor
    services.task_claim(task=online.tasks.get(), user=supervisor)
    services.task_claim(task=counter.tasks.get(), user=staff)
    client.force_login(supervisor)
    assert len(rows(client, "/staf/?scope=all")[1]) == 3
    assert rows(client, "/staf/?scope=all&mine=true")[1] == [online.registration_number]


def test_tab_counts_follow_the_search(client, umrah, staff, three):
    a, _b, c = three
    services.task_claim(task=a.tasks.get(), user=staff)
    client.force_login(staff)
    response = client.get("/staf/?scope=queue")
    assert [(code, n) for code, _label, n in response.context["tabs"]] == [
        ("mine", 1),
        ("queue", 2),
        ("all", 3),
    ]
    response = client.get("/staf/?scope=queue&q=siti")
    assert [n for _code, _label, n in response.context["tabs"]] == [1, 1, 2]
    assert c.registration_number in response.content.decode()


def test_pages_keep_the_filters(client, umrah, staff, monkeypatch):
    from workflow import views_queue

    monkeypatch.setattr(views_queue, "PAGE_SIZE", 2)
    made = [new_request(umrah, name=f"Warga Siti {i}") for i in range(5)]
    new_request(umrah, name="Budi")
    client.force_login(staff)
    text, first = rows(client, "/staf/?scope=queue&q=siti&channel=online")
    assert len(first) == 2 and "Halaman 1 dari 3" in text
    assert 'href="?scope=queue&amp;q=siti&amp;channel=online&amp;page=2"' in text
    _text, second = rows(client, "/staf/?scope=queue&q=siti&channel=online&page=2")
    _text, third = rows(client, "/staf/?scope=queue&q=siti&channel=online&page=3")
    assert sorted(first + second + third) == sorted(r.registration_number for r in made)


def test_bulk_claim_checks_each_task(client, umrah, staff, staff2, outsider, three):
    a, b, c = three
    services.task_claim(task=b.tasks.get(), user=staff2)
    foreign = foreign_request(outsider)
    client.force_login(staff)
    ids = [a.tasks.get().pk, b.tasks.get().pk, c.tasks.get().pk, foreign.tasks.get().pk]
    response = client.post(
        "/staf/tugas/massal/",
        {"action": "claim", "task": ids, "next": "/staf/?scope=queue&q=siti"},
        follow=True,
    )
    assert response.redirect_chain[-1][0] == "/staf/?scope=queue&q=siti"
    text = response.content.decode()
    assert "Anda mengambil 2 tugas." in text
    assert f"{b.registration_number}: Tugas ini sudah diambil oleh petugas_phu2." in text
    assert {t.request_id: t.assigned_to for t in Task.objects.all()} == {
        a.pk: staff,
        b.pk: staff2,
        c.pk: staff,
        foreign.pk: None,
    }
    # no task ticked: said so, nothing changes
    response = client.post("/staf/tugas/massal/", {"action": "claim"}, follow=True)
    assert "Centang sedikitnya satu tugas" in response.content.decode()


def test_bulk_assign_is_for_supervisors_only(client, umrah, staff, staff2, supervisor, three):
    a, b, _c = three
    ids = [a.tasks.get().pk, b.tasks.get().pk]
    client.force_login(staff)
    response = client.post(
        "/staf/tugas/massal/",
        {"action": "assign", "task": ids, "user": "petugas_phu2"},
        follow=True,
    )
    assert "Hanya penyelia unit yang dapat menugaskan" in response.content.decode()
    assert not Task.objects.filter(assigned_to__isnull=False).exists()
    client.force_login(supervisor)
    page = client.get("/staf/?scope=all").content.decode()
    assert 'name="action" value="assign"' in page and '<option value="petugas_phu2">' in page
    response = client.post(
        "/staf/tugas/massal/",
        {"action": "assign", "task": ids, "user": "petugas_phu2"},
        follow=True,
    )
    assert "2 tugas ditugaskan kepada petugas_phu2." in response.content.decode()
    assert set(Task.objects.filter(assigned_to=staff2).values_list("request_id", flat=True)) == {
        a.pk,
        b.pk,
    }
    assert a.events.filter(kind="assigned", note="petugas_phu2", actor=supervisor).exists()


def _export(client, fmt, query):
    response = client.get(f"/staf/ekspor.{fmt}?{query}")
    assert response.status_code == 200
    assert response["Content-Disposition"].startswith("attachment;")
    if fmt == "csv":
        return list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
    sheet = load_workbook(io.BytesIO(response.content)).active
    return [[c if c is not None else "" for c in row] for row in sheet.iter_rows(values_only=True)]


@pytest.mark.parametrize("fmt", ["csv", "xlsx"])
def test_export_is_the_filtered_list(client, umrah, staff, outsider, three, fmt):
    a, _b, c = three
    new_request(umrah, name='=HYPERLINK("http://x")')
    foreign_request(outsider)
    client.force_login(staff)
    table = _export(client, fmt, "scope=queue&q=siti")
    assert table[0][:5] == ["Nomor registrasi", "Layanan", "Tahap", "Unit", "Pemohon"]
    assert sorted(r[0] for r in table[1:]) == sorted([a.registration_number, c.registration_number])
    assert {r[4] for r in table[1:]} == {"Siti Aminah", "Ahmad Siti Rahman"}
    assert NIK_A not in str(table)  # the export leaves out the NIK
    formula = _export(client, fmt, "scope=queue&q=HYPERLINK")
    assert formula[1][4] == '\'=HYPERLINK("http://x")'


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


def test_queue_page_and_exports_in_constant_queries(client, umrah, staff, supervisor):
    client.force_login(supervisor)
    client.get("/staf/")  # the session's first page costs its setup
    urls = ["/staf/?scope=all", "/staf/ekspor.csv?scope=all", "/staf/ekspor.xlsx?scope=all"]
    new_request(umrah)
    one = [_queries(client, url) for url in urls]
    for _ in range(12):
        new_request(umrah)
    services.task_claim(task=Task.objects.first(), user=staff)
    many = [_queries(client, url) for url in urls]
    assert one == many, (one, many)
    assert len(rows(client, "/staf/?scope=all")[1]) == 13


@pytest.mark.parametrize(
    "who, cold, warm",
    # session, user, reach (with the header's dashboard and counter links), [tab counts:
    # kept in Redis once counted], page rows (the service filter's list: kept per process
    # under the catalogue's version); a supervisor's page adds the assignees (users, their
    # groups, their memberships) and the overdue notices
    [("staff", 5, 4), ("supervisor", 9, 8)],
)
def test_queue_page_makes_exactly_these_queries(client, umrah, staff, supervisor, who, cold, warm):
    client.force_login({"staff": staff, "supervisor": supervisor}[who])
    client.get("/staf/")  # the session's first page costs its setup
    for _ in range(3):
        new_request(umrah)
    assert _queries(client, "/staf/?scope=queue") == cold
    assert _queries(client, "/staf/?scope=queue") == warm
    assert len(rows(client, "/staf/?scope=queue")[1]) == 3


def test_header_badge_counts_my_overdue_tasks(client, umrah, staff, outsider):
    late = new_request(umrah)
    new_request(umrah)
    Task.objects.filter(request=late).update(overdue=True)
    client.force_login(staff)
    page = client.get("/staf/skp/").content.decode()
    assert (
        'class="badge overdue header-overdue" href="/staf/?scope=all&amp;overdue=true">1 ' in page
    )
    client.force_login(outsider)
    assert "header-overdue" not in client.get("/staf/").content.decode()


def test_api_takes_the_same_search_and_filters(api_client, umrah, staff, clerk, three):
    a, b, _c = three
    counter = new_request(umrah, channel=Channel.COUNTER, acting_user=clerk, name="Loket Siti")
    api_client.force_authenticate(staff)

    def numbers(query):
        body = api_client.get(f"/api/v1/tasks/?scope=queue&{query}").json()
        return sorted(t["registration_number"] for t in body["results"])

    assert numbers(f"q={NIK_B}") == [b.registration_number]
    assert numbers("q=siti&channel=counter") == [counter.registration_number]
    assert numbers("q=" + a.registration_number.lower()) == [a.registration_number]
    response = api_client.get("/api/v1/tasks/?scope=queue&step=satu")
    assert response.status_code == 400 and "step" in response.json()
