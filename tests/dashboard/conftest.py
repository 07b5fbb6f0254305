"""An office with a PTSP counter and a Seksi PHU, two services, a head of office and a
supervisor; `november` holds hand-counted requests, tasks, messages, complaints and survey
responses for November 2026 (today: 20 November)."""

import datetime
from zoneinfo import ZoneInfo

import pytest

from feedback.models import Complaint, SurveyResponse
from notifications.models import Message
from organization.models import StaffMembership
from tests import factories
from workflow.models import Task

WIB = ZoneInfo("Asia/Jakarta")
TODAY = datetime.date(2026, 11, 20)


def at(day, hour=10, minute=0):
    return datetime.datetime(2026, *day, hour, minute, tzinfo=WIB)


def make_office():
    return factories.OfficeFactory(code="KJB", name="Kantor Kementerian Agama Kota Jambi")


def make_units(office):
    ptsp = factories.UnitFactory(office=office, code="ptsp", name="PTSP", kind="ptsp")
    phu = factories.UnitFactory(office=office, code="phu", name="Seksi PHU")
    return {"ptsp": ptsp, "phu": phu}


@pytest.fixture
def office(db):
    return make_office()


@pytest.fixture
def units(office):
    return make_units(office)


@pytest.fixture
def services(units):
    return make_services(units)


def make_services(units):
    paspor = factories.ServiceTypeFactory(
        code="paspor", name="Rekomendasi paspor", unit=units["phu"], sla_working_days=5
    )
    legalisir = factories.ServiceTypeFactory(
        code="legalisir", name="Legalisir ijazah", unit=units["ptsp"], sla_working_days=3
    )
    steps = {
        "paspor1": factories.StepFactory(
            service=paspor, order=1, name="Verifikasi", unit=units["ptsp"], sla_working_days=1
        ),
        "paspor2": factories.StepFactory(
            service=paspor, order=2, name="Pemeriksaan", unit=units["phu"], sla_working_days=3
        ),
        "legalisir1": factories.StepFactory(
            service=legalisir, order=1, name="Verifikasi", unit=units["ptsp"], sla_working_days=2
        ),
    }
    return {"paspor": paspor, "legalisir": legalisir, "steps": steps}


def head_of(office, username="kepala"):
    """A user holding the office's top structural position (its superior is elsewhere)."""
    region = factories.OfficeFactory(code="KWJ", name="Kanwil")
    top = factories.PositionFactory(
        unit=factories.UnitFactory(office=region, code="tu-kwj"), kind="jpt", name="Kakanwil"
    )
    tu = factories.UnitFactory(office=office, code=f"tu-{username}", name="Subbagian TU")
    position = factories.PositionFactory(
        unit=tu, kind="administrator", name="Kepala Kantor", superior=top
    )
    user = factories.UserFactory(username=username)
    employee = factories.EmployeeFactory(user=user, name="Abdul Halim")
    factories.PositionHoldingFactory(employee=employee, position=position)
    return user, position


@pytest.fixture
def head(office):
    return head_of(office)[0]


@pytest.fixture
def supervisor(units):
    user = factories.UserFactory(username="kasi_phu")
    StaffMembership.objects.create(user=user, unit=units["phu"], role="supervisor")
    return user


def _request(service, *, submitted, status="in_progress", completed=None, due, channel="online"):
    return factories.ServiceRequestFactory(
        service=service,
        status=status,
        submitted_at=submitted,
        completed_at=completed,
        due_date=due,
        channel=channel,
    )


def _task(request, step, *, created, completed=None, due, overdue=False):
    return factories.TaskFactory(
        request=request,
        step=step,
        status=Task.Status.DONE if completed else Task.Status.OPEN,
        created_at=created,
        completed_at=completed,
        due_date=due,
        overdue=overdue,
        decision="approve" if completed else "",
    )


@pytest.fixture
def november(office, units, services):
    return make_november(office, units, services)


def make_november(office, units, services):
    """The data the figure tests count by hand (see each test)."""
    p, lg, s = services["paspor"], services["legalisir"], services["steps"]
    d = datetime.date
    r = {
        # received in November: r1, r2, r3, r5, edge_in
        "r1": _request(p, submitted=at((11, 2)), status="completed", completed=at((11, 5)), due=d(2026, 11, 9)),  # noqa: E501
        "r2": _request(p, submitted=at((11, 3)), status="completed", completed=at((11, 12)), due=d(2026, 11, 10), channel="counter"),  # noqa: E501
        "r3": _request(lg, submitted=at((11, 10)), due=d(2026, 11, 13)),
        "r4": _request(lg, submitted=at((10, 30)), status="completed", completed=at((11, 4)), due=d(2026, 11, 6), channel="counter"),  # noqa: E501
        "r5": _request(p, submitted=at((11, 16)), status="rejected", completed=at((11, 18)), due=d(2026, 11, 23)),  # noqa: E501
        "r6": _request(p, submitted=at((10, 1)), status="completed", completed=at((10, 5)), due=d(2026, 10, 8)),  # noqa: E501
        "r7": _request(p, submitted=at((10, 20)), due=d(2026, 10, 27)),
        # 23:30 WIB on the 30th is November; 00:30 WIB on 1 December is not
        "edge_in": _request(lg, submitted=at((11, 30), 23, 30), due=d(2026, 12, 3)),
        "edge_out": _request(lg, submitted=datetime.datetime(2026, 12, 1, 0, 30, tzinfo=WIB), due=d(2026, 12, 4)),  # noqa: E501
        # finished at 05:00 WIB the day after its due day (still the due day in UTC): late
        "r8": _request(lg, submitted=at((11, 11)), status="completed", completed=at((11, 14), 5), due=d(2026, 11, 13)),  # noqa: E501
    }  # fmt: skip
    # open tasks now: PTSP 2 (r3 past due), PHU 1 (r7 flagged overdue, not yet past due)
    _task(r["r3"], s["legalisir1"], created=at((11, 10)), due=d(2026, 11, 12))
    _task(r["edge_in"], s["legalisir1"], created=at((11, 30), 23, 30), due=d(2026, 12, 2))
    _task(r["r7"], s["paspor2"], created=at((10, 21)), due=d(2026, 11, 25), overdue=True)
    # decided tasks: paspor step 1 took 2 h, 4 h and 10 h (median 4 h); step 2 1 h and 3 h
    # (median 2 h, interpolated); one decided in October is outside the period
    decided = [  # request, step, created, completed, due
        ("r1", "paspor1", at((11, 2), 10), at((11, 2), 12), d(2026, 11, 3)),
        ("r2", "paspor1", at((11, 3), 8), at((11, 3), 12), d(2026, 11, 4)),
        ("r5", "paspor1", at((11, 16), 8), at((11, 16), 18), d(2026, 11, 17)),
        ("r1", "paspor2", at((11, 4), 9), at((11, 4), 10), d(2026, 11, 9)),
        ("r2", "paspor2", at((11, 6), 9), at((11, 6), 12), d(2026, 11, 11)),
        ("r6", "paspor1", at((10, 1), 9), at((10, 2), 9), d(2026, 10, 2)),
    ]
    for request, step, created, completed, due in decided:
        _task(r[request], s[step], created=created, completed=completed, due=due)
    # WhatsApp to applicants, November: delivered, read, failed, undelivered, queued, sent
    for status in ("delivered", "read", "failed", "undelivered", "queued", "sent"):
        factories.MessageFactory(request=r["r1"], status=status)
    factories.MessageFactory(request=r["r1"], kind="overdue", status="failed")  # staff's own
    old = factories.MessageFactory(request=r["r6"], status="failed")
    Message.objects.filter(pk=old.pk).update(created_at=at((10, 2)))
    Message.objects.exclude(pk=old.pk).update(created_at=at((11, 6)))
    other_office = factories.ServiceRequestFactory()
    factories.MessageFactory(request=other_office, status="failed")
    Message.objects.filter(request=other_office).update(created_at=at((11, 6)))
    # complaints received in November: answered in time, late, open in time, open overdue
    complaints = [
        (at((11, 3)), d(2026, 11, 10), at((11, 5))),
        (at((11, 6)), d(2026, 11, 13), at((11, 20))),
        (at((11, 18)), d(2026, 11, 25), None),
        (at((11, 10)), d(2026, 11, 17), None),
        (at((10, 10)), d(2026, 10, 17), None),  # October
    ]
    for n, (received, due, answered) in enumerate(complaints):
        Complaint.objects.create(
            tracking_code=f"ADU-T{n}",
            office=office,
            unit=units["ptsp"],
            service=p,
            text="Antrean terlalu lama di loket.",
            status="answered" if answered else "received",
            received_at=received,
            due_date=due,
            answered_at=answered,
        )
    # survey: all 4s and all 3s in November (IKM 87.50, B), all 1s in October
    for n, (score, day) in enumerate(
        [(4, d(2026, 11, 5)), (3, d(2026, 11, 12)), (1, d(2026, 10, 5))]
    ):
        SurveyResponse.objects.create(
            request_digest=f"digest-{n}",
            service=p,
            unit=units["phu"],
            office=office,
            answered_on=day,
            channel="online",
            **{f"u{i}": score for i in range(1, 10)},
        )
    return r
