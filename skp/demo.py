"""SKP demo data for `seed_demo` (after the organisation is loaded): the head of the
Kota Jambi office (account `head`, his capaian the mean of his subordinates') with three
structural subordinates, approved SKPs with rencana aksi, realisation and evidence for the
past months of the year, one unit (Seksi PHU) whose predikats fail the quota check, and
the office's allowance administrator (account `allowance_admin`). Idempotent."""

import datetime
from decimal import Decimal

from django.contrib.auth import get_user_model
from django.utils import timezone

from organization.models import Employee, Office, Position, Unit
from organization.selectors import official_for_position

from .models import Indicator, Rhk, Skp, SkpEvent, SkpStatus
from .models_evaluation import Evaluation, EvaluationEvent, EvaluationStatus, UnitGrade
from .models_lock import AllowanceAdmin
from .models_realisation import BuktiDukung, Realisasi, RencanaAksi, UmpanBalik
from .rules import predikat_for
from .selectors_evaluation import skp_periods

# (position name in KJB, RHK text, indicator, monthly target, realisation pattern)
PEOPLE = [
    ("Kepala Kantor Kementerian Agama Kota Jambi", "Terwujudnya layanan keagamaan yang prima di Kota Jambi", "Indeks kepuasan layanan", "1", None),  # noqa: E501
    ("Kepala Subbagian Tata Usaha", "Tertatanya administrasi perkantoran", "Laporan administrasi", "4", [4, 3, 4, 4, 3]),  # noqa: E501
    ("Kepala Seksi Pendidikan Madrasah", "Terlaksananya pembinaan madrasah", "Madrasah dibina", "5", [5, 5, 4, 5, 5]),  # noqa: E501
    ("Kepala Seksi Penyelenggaraan Haji dan Umrah", "Terlayaninya calon jemaah haji", "Berkas jemaah diverifikasi", "10", [8, 9, 10, 7, 9]),  # noqa: E501
    ("Pengadministrasi Haji dan Umrah", "Tersusunnya data jemaah haji", "Data jemaah diperbarui", "20", [18, 20, 16, 20, 19]),  # noqa: E501
]  # fmt: skip
FAILING_UNIT = "phu"


def _skp(employee: Employee, position: Position, year: int, penilai) -> Skp:
    skp = Skp.objects.filter(employee=employee, year=year).first()
    if skp is not None:
        return skp
    now = timezone.now()
    skp = Skp.objects.create(
        employee=employee,
        position=position,
        year=year,
        status=SkpStatus.APPROVED,
        submitted_at=now,
        approved_at=now,
        employee_name=employee.name,
        employee_nip=employee.nip,
        position_name=position.name,
        unit_name=position.unit.name,
        penilai=penilai.employee if penilai else None,
        penilai_name=penilai.employee.name if penilai else "",
        penilai_nip=penilai.employee.nip if penilai else "",
        penilai_position_name=(penilai.acting_as or penilai.position.name) if penilai else "",
        penilai_unit_name=penilai.position.unit.name if penilai else "",
    )
    SkpEvent.objects.create(
        skp=skp, action=SkpEvent.Action.CREATED, to_status=SkpStatus.DRAFT, note="demo"
    )
    SkpEvent.objects.create(
        skp=skp,
        action=SkpEvent.Action.APPROVED,
        actor=penilai.employee.user if penilai else None,
        from_status=SkpStatus.SUBMITTED,
        to_status=SkpStatus.APPROVED,
        note="demo",
    )
    return skp


def _months(skp: Skp, rhk: Rhk, target: str, pattern, today: datetime.date) -> None:
    last = today.month - 1 if today.year == skp.year else 12
    for month in range(1, last + 1):
        ra, _created = RencanaAksi.objects.get_or_create(
            skp=skp,
            rhk=rhk,
            month=month,
            text=f"{rhk.text}: kegiatan bulan {month}",
            defaults={"target": Decimal(target), "unit": "dokumen"},
        )
        if pattern is None:
            continue
        value = Decimal(pattern[month % len(pattern)])
        Realisasi.objects.get_or_create(
            rencana_aksi=ra,
            defaults={
                "value": value,
                "note": "Laporan bulanan",
                "capaian_raw": value / ra.target * 100,
                "entered_by": skp.employee.user,
            },
        )
        if not ra.bukti_dukung.exists():
            BuktiDukung.objects.create(
                rencana_aksi=ra,
                kind=BuktiDukung.Kind.LINK,
                url=f"https://drive.kemenag.example/kjb/{skp.employee.nip}/{skp.year}-{month:02d}",
                uploaded_by=skp.employee.user,
            )


def _rate_previous_quarter(skp: Skp, rhk: Rhk, penilai, today: datetime.date) -> str | None:
    """The last completed period (a quarter unless the office chose otherwise) of the
    failing unit's staff, rated Baik."""
    done = [p for p in skp_periods(skp=skp)[:-1] if p.end < today]
    if not done or penilai is None:
        return None
    period = done[-1]
    evaluation, created = Evaluation.objects.get_or_create(
        skp=skp,
        period=period.code,
        defaults={
            "kind": period.kind,
            "status": EvaluationStatus.RATED,
            "submitted_at": timezone.now(),
            "rated_at": timezone.now(),
            "rating_hasil_kerja": 2,
            "rating_perilaku": 2,
            "predikat": int(predikat_for(hasil_kerja=2, perilaku=2)),
            "penilai": penilai.employee,
            "penilai_name": penilai.employee.name,
            "penilai_nip": penilai.employee.nip,
            "penilai_position_name": penilai.acting_as or penilai.position.name,
            "penilai_unit_name": penilai.position.unit.name,
        },
    )
    if created:
        UmpanBalik.objects.create(
            skp=skp,
            period=period.code,
            rhk=rhk,
            text="Target tercapai sesuai bukti dukung.",
            author=penilai.employee,
            author_name=penilai.employee.name,
            author_position_name=penilai.position.name,
        )
        EvaluationEvent.objects.create(
            evaluation=evaluation,
            action=EvaluationEvent.Action.RATED,
            actor=penilai.employee.user,
            from_status=EvaluationStatus.SUBMITTED,
            to_status=EvaluationStatus.RATED,
        )
    return period.code


def skp_demo_load(sender=None, *, today: datetime.date, **kwargs) -> None:
    office = Office.objects.filter(code="KJB").first()
    if office is None:
        return
    year = today.year
    for name, rhk_text, indicator, target, pattern in PEOPLE:
        position = Position.objects.filter(unit__office=office, name=name).first()
        holder = official_for_position(position=position, on=today) if position else None
        if holder is None or holder.acting is not None:
            continue
        superior = position.superior
        penilai = official_for_position(position=superior, on=today) if superior else None
        skp = _skp(holder.employee, position, year, penilai)
        rhk, _created = Rhk.objects.get_or_create(skp=skp, text=rhk_text, defaults={"order": 1})
        Indicator.objects.get_or_create(
            rhk=rhk, text=indicator, defaults={"target": str(int(target) * 12), "unit": "dokumen"}
        )
        _months(skp, rhk, target, pattern, today)
        if position.unit.code == FAILING_UNIT and superior and superior.unit_id == position.unit_id:
            period = _rate_previous_quarter(skp, rhk, penilai, today)
            grader = official_for_position(position=superior.superior, on=today)
            unit = Unit.objects.get(pk=position.unit_id)
            if period and grader:
                UnitGrade.objects.get_or_create(
                    unit=unit,
                    period=period,
                    defaults={"grade": "baik", "set_by": grader.employee.user},
                )
    admin = get_user_model().objects.filter(username="allowance_admin").first()
    if admin is not None:
        AllowanceAdmin.objects.get_or_create(user=admin, office=office)
