"""`manage.py siasn_import FILE`: the crafted export with every issue class, its JSON
summary, idempotent re-import, JSON input, and files that cannot be read."""

import json

import pytest
from django.core.management import CommandError, call_command

from organization.models import Employee
from personnel.models import ConsistencyIssue, IssueClass, SiasnRecord
from tests import factories
from tests.personnel.conftest import bkn_people
from tests.personnel.siasn_files import data_utama_json, export_csv

pytestmark = pytest.mark.django_db


def run_import(tmp_path, content: bytes, *args, name="export.csv"):
    path = tmp_path / name
    path.write_bytes(content)
    out = []

    class Out:
        def write(self, text):
            out.append(text)

        def flush(self):
            pass

    call_command("siasn_import", str(path), "--no-progress", *args, stdout=Out())
    return json.loads("".join(out))


def issues():
    return {
        (i.issue_class, i.nip, i.field): (i.local_value, i.bkn_value)
        for i in ConsistencyIssue.objects.exclude(status="resolved")
    }


def test_crafted_export_finds_every_issue_class(tmp_path, office):
    summary = run_import(tmp_path, export_csv(bkn_people(office)))
    assert summary["status"] == "done"
    assert (summary["rows"], summary["created"], summary["errors"]) == (5, 5, 0)
    found = issues()
    mismatched = office.mismatched.nip
    assert found[(IssueClass.FIELD_MISMATCH, mismatched, "golongan")] == (
        "III/b (32)",
        "III/c (33)",
    )
    assert found[(IssueClass.FIELD_MISMATCH, mismatched, "tmt_golongan")] == (
        "2019-04-01",
        "2020-04-01",
    )
    assert (IssueClass.MISSING_BKN, office.local_only.nip, "") in found
    assert (IssueClass.MISSING_LOCAL, factories.make_nip(5), "") in found
    assert (IssueClass.INVALID_NIP, "19850321201001100", "") in found
    on_leave = office.on_leave.nip
    assert found[(IssueClass.INACTIVE_BUT_HOLDING, on_leave, "")] == ("Kepala Seksi PHU", "CLTN")
    assert found[(IssueClass.FIELD_MISMATCH, on_leave, "kedudukan")] == ("01 Aktif", "02 CLTN")
    # The consistent employee (name differs only in case and spacing) has no issue at all.
    assert not [k for k in found if k[1] == office.consistent.nip]
    assert set(summary["issues_open"]) == set(IssueClass.values)
    assert all(summary["issues_open"][c] >= 1 for c in IssueClass.values)
    missing_local = ConsistencyIssue.objects.get(issue_class=IssueClass.MISSING_LOCAL)
    assert (missing_local.office, missing_local.unit) == (office.office, office.phu)


def test_reimporting_the_same_file_changes_nothing(tmp_path, office):
    content = export_csv(bkn_people(office))
    run_import(tmp_path, content)
    records = list(SiasnRecord.objects.order_by("nip").values())
    before = list(ConsistencyIssue.objects.order_by("pk").values())
    employees = list(Employee.objects.order_by("pk").values())
    summary = run_import(tmp_path, content)
    assert (summary["created"], summary["updated"], summary["unchanged"]) == (0, 0, 5)
    assert summary["issue_changes"] == {"opened": 0, "resolved": 0, "reopened": 0}
    assert list(ConsistencyIssue.objects.order_by("pk").values()) == before
    assert list(Employee.objects.order_by("pk").values()) == employees
    after = list(SiasnRecord.objects.order_by("nip").values())
    strip = lambda rows: [{k: v for k, v in r.items() if k != "last_seen_id"} for r in rows]  # noqa: E731
    assert strip(after) == strip(records)


def test_json_data_utama_list_gives_the_same_result(tmp_path, office):
    summary = run_import(tmp_path, data_utama_json(bkn_people(office)), name="data.json")
    assert (summary["rows"], summary["created"]) == (5, 5)
    found = issues()
    assert (IssueClass.FIELD_MISMATCH, office.mismatched.nip, "golongan") in found
    # eselonId (only in the JSON) 41 = pengawas, as the local position: no kind mismatch.
    assert (IssueClass.FIELD_MISMATCH, office.on_leave.nip, "jenis_jabatan") not in found


def test_a_person_dropped_from_the_next_full_export_is_missing_from_bkn(tmp_path, office):
    people = bkn_people(office)
    run_import(tmp_path, export_csv(people))
    summary = run_import(tmp_path, export_csv(people[1:]))
    assert summary["dropped"] == 1
    assert (IssueClass.MISSING_BKN, office.consistent.nip, "") in issues()
    partial = run_import(tmp_path, export_csv(people[2:3]), "--partial")
    assert partial["dropped"] == 0


def test_bad_rows_are_listed_and_the_rest_imported(tmp_path, office):
    people = bkn_people(office)
    people[0]["tmtGolAkhir"] = "31-02-2020"
    people.append(dict(people[1]))  # the same NIP twice
    summary = run_import(tmp_path, export_csv(people))
    assert summary["errors"] == 2
    assert summary["created"] == 4
    lines = [e["line"] for e in summary["error_rows"]]
    assert lines == [2, 7]
    assert "TMT GOLONGAN" in summary["error_rows"][0]["error"]


@pytest.mark.parametrize(
    "content, message",
    [
        (b"NAMA,NIP\nA,1\n", "NIP BARU"),
        (b"\xff\xfe\x00garbage", "UTF-8"),
        (b'[{"nipBaru": "1"', "JSON"),
    ],
)
def test_an_unreadable_file_imports_nothing(tmp_path, db, content, message):
    with pytest.raises(CommandError) as error:
        run_import(tmp_path, content)
    assert message in str(error.value)
    assert SiasnRecord.objects.count() == 0
