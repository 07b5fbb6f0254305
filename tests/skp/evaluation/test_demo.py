"""seed_demo's SKP part: the head (role `head`) whose capaian is the mean of three
structural subordinates, realised past months with evidence, one unit failing the quota,
the `allowance_admin` account; loading twice changes nothing."""

import datetime
import json
from io import StringIO

import pytest
from django.core.management import call_command

from services_catalog.demo import demo_load
from skp.models import Skp
from skp.models_lock import AllowanceAdmin
from skp.models_realisation import BuktiDukung, RencanaAksi
from skp.rules import period_parse
from skp.selectors_evaluation import predikat_report
from skp.selectors_realisation import capaian_pegawai, head_capaian

pytestmark = pytest.mark.django_db
TODAY = datetime.date(2026, 8, 14)


def test_demo_head_subordinates_quota_and_admin(settings):
    settings.DEBUG = True
    demo_load(today=TODAY)
    counts = (Skp.objects.count(), RencanaAksi.objects.count(), BuktiDukung.objects.count())
    demo_load(today=TODAY)
    assert (Skp.objects.count(), RencanaAksi.objects.count(), BuktiDukung.objects.count()) == counts
    head = Skp.objects.get(employee__user__username="head", year=2026)
    assert head.position.is_head and head.employee.phone
    subordinates = Skp.objects.filter(position__superior=head.position, status="approved")
    assert subordinates.count() == 3
    assert RencanaAksi.objects.filter(skp__in=subordinates, month=7).count() == 3
    july = [capaian_pegawai(skp=s, month=7) for s in subordinates]
    mean = sum(july) / 3
    assert capaian_pegawai(skp=head, month=7) == head_capaian(
        position=head.position, year=2026, month=7
    )
    assert abs(capaian_pegawai(skp=head, month=7) - mean) < 0.01
    report = predikat_report(
        unit=head.position.unit.office.units.get(code="phu"), period=period_parse("2026-Q2")
    )
    assert report.grade is not None and report.n == 1 and report.ok is False
    assert AllowanceAdmin.objects.filter(
        user__username="allowance_admin", office__code="KJB"
    ).exists()
    out = StringIO()
    call_command("seed_demo", "--json", stdout=out)
    roles = {a["username"]: a["roles"] for a in json.loads(out.getvalue())}
    assert "head" in roles["head"] and "allowance_admin" in roles["allowance_admin"]
