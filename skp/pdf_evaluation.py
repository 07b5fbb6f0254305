"""The evaluation document (Dokumen Evaluasi Kinerja Pegawai, DOMAIN.md 2.9) as a PDF:
period, the employee, the pejabat penilai and the penilai's superior, the organisation
grade, per-RHK realisation and feedback, behaviour feedback, the ratings and predikat,
the unit's distribution curve and the signatures with the chosen date."""

import datetime
import io

from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from reportlab.graphics.charts.barcharts import VerticalBarChart
from reportlab.graphics.shapes import Drawing
from reportlab.lib import colors
from reportlab.lib.units import mm
from reportlab.platypus import Spacer, Table, TableStyle

from organization.letterhead import FONT, letterhead_flowable, pdf_canvas
from organization.selectors import official_for_position

from .models import CoreValue, Skp
from .models_realisation import RencanaAksi
from .pdf import PAGE_WIDTH, _grid, _p, a4_document, paragraph_styles
from .rules import Period, Predikat, Rating, period_parse
from .selectors import skp_document
from .selectors_evaluation import evaluations_of, predikat_report
from .selectors_realisation import capaian_of_months, capaian_rencana_aksi, feedback_for


def _person(official) -> dict:
    if official is None:
        return {"name": "", "nip": "", "position": "", "unit": ""}
    return {
        "name": official.employee.name,
        "nip": official.employee.nip,
        "position": official.acting_as or official.position.name,
        "unit": official.position.unit.name,
    }


def _curve(counts: dict[int, int], width) -> Drawing:
    drawing = Drawing(width, 45 * mm)
    chart = VerticalBarChart()
    chart.x, chart.y, chart.width, chart.height = 15 * mm, 8 * mm, width - 25 * mm, 32 * mm
    chart.data = [[counts.get(p.value, 0) for p in Predikat]]
    chart.categoryAxis.categoryNames = [str(p.label) for p in Predikat]
    chart.categoryAxis.labels.fontSize = 7
    chart.categoryAxis.labels.fontName = FONT
    chart.valueAxis.labels.fontName = FONT
    chart.valueAxis.valueMin = 0
    chart.valueAxis.valueMax = max(1, *chart.data[0]) + 1
    chart.valueAxis.valueStep = 1
    chart.bars[0].fillColor = colors.HexColor("#1f6f4a")
    drawing.add(chart)
    return drawing


def render_evaluation_pdf(*, skp: Skp, period: Period, signed_on: datetime.date) -> bytes:
    buffer = io.BytesIO()
    pdf = a4_document(buffer, title=f"Evaluasi Kinerja {period.code} {skp.employee.name}")
    body, bold, title, centre, _right = paragraph_styles(size=8.5, leading=10.5, title_size=13)
    width = PAGE_WIDTH
    office = skp.position.unit.office
    place = office.city or office.name
    doc = skp_document(skp=skp, on=timezone.localdate())
    evaluation = {p.code: e for p, e in evaluations_of(skp=skp)}[period.code]

    penilai = {
        "name": evaluation.penilai_name or doc["penilai_name"],
        "nip": evaluation.penilai_nip or doc["penilai_nip"],
        "position": evaluation.penilai_position_name or doc["penilai_position_name"],
        "unit": evaluation.penilai_unit_name or doc["penilai_unit_name"],
    }
    superior = skp.position.superior
    atasan = _person(
        official_for_position(position=superior.superior, on=timezone.localdate())
        if superior is not None and superior.superior is not None
        else None
    )
    employee = {
        "name": doc["employee_name"],
        "nip": doc["employee_nip"],
        "position": doc["position_name"],
        "unit": doc["unit_name"],
    }
    report = predikat_report(unit=skp.position.unit, period=period)
    grade = report.grade.get_grade_display() if report.grade else "–"

    story = [
        letterhead_flowable(office, width=width),
        _p(_("EMPLOYEE PERFORMANCE EVALUATION DOCUMENT"), title),
        _p(_("PERIOD: %(period)s") % {"period": period.label.upper()}, centre),
        _p(
            _("Assessment window: %(start)s to %(end)s")
            % {
                "start": date_format(period.start, "j F Y"),
                "end": date_format(period.end, "j F Y"),
            },
            centre,
        ),
        _p(office.name, centre),
        Spacer(1, 4 * mm),
    ]
    rows = []
    for n, (heading, person) in enumerate(
        [
            (_("EMPLOYEE ASSESSED"), employee),
            (_("PEJABAT PENILAI"), penilai),
            (_("SUPERIOR OF THE PEJABAT PENILAI"), atasan),
        ],
        start=1,
    ):
        rows.append([_p(str(n), bold), _p(heading, bold), ""])
        for label, key in [
            (_("Name"), "name"),
            (_("NIP"), "nip"),
            (_("Position"), "position"),
            (_("Unit"), "unit"),
        ]:
            rows.append(["", _p(label, body), _p(person[key] or "–", body)])
    identity = _grid(rows, [10 * mm, 35 * mm, width - 45 * mm], header=False)
    story += [identity, Spacer(1, 3 * mm)]

    capaian = capaian_of_months(skp=skp, months=period.months)
    predikat = Predikat(evaluation.predikat).label if evaluation.predikat else "–"

    def label(choices, value):
        return str(choices(value).label) if value else "–"

    summary = [
        (_("Organisation performance (capaian kinerja organisasi)"), grade),
        (_("Employee achievement (capaian, %)"), f"{capaian:.2f}" if capaian is not None else "–"),
        (_("Rating hasil kerja"), label(Rating, evaluation.rating_hasil_kerja)),
        (_("Rating perilaku kerja"), label(Rating, evaluation.rating_perilaku)),
        (_("EMPLOYEE PERFORMANCE PREDIKAT"), str(predikat).upper()),
        (_("Notes / recommendation"), evaluation.note or "–"),
        (_("Status"), evaluation.get_status_display()),
    ]
    summary = [[_p(k, bold), _p(v, body)] for k, v in summary]
    story += [_grid(summary, [70 * mm, width - 70 * mm], header=False), Spacer(1, 4 * mm)]

    feedback = [
        f
        for f in feedback_for(skp=skp)
        if (fp := period_parse(f.period)) and set(fp.months) <= set(period.months)
    ]
    plans = list(
        RencanaAksi.objects.filter(skp=skp, month__in=list(period.months))
        .select_related("realisasi")
        .order_by("month", "id")
    )
    rows = [
        [
            _p(_("No."), bold),
            _p(_("Planned work result (RHK)"), bold),
            _p(_("Indicator / target"), bold),
            _p(_("Realisation based on evidence"), bold),
            _p(_("Continuous feedback based on evidence"), bold),
        ]
    ]
    for n, rhk in enumerate(skp.rhks.all(), start=1):
        indicators = "\n".join(f"{i.text}: {i.target} {i.unit}" for i in rhk.indicators.all())
        real = "\n".join(
            f"{ra.month:02d} {ra.text}: {ra.realisasi.value if hasattr(ra, 'realisasi') else 0}"
            f"/{ra.target} {ra.unit} ({capaian_rencana_aksi(ra):.2f}%)"
            for ra in plans
            if ra.rhk_id == rhk.pk
        )
        notes = "\n".join(f"{f.by}: {f.text}" for f in feedback if f.rhk_id == rhk.pk)
        rows.append(
            [
                _p(str(n), body),
                _p(rhk.text, body),
                _p(indicators, body),
                _p(real or "–", body),
                _p(notes or "–", body),
            ]
        )
    story += [
        _p(_("WORK RESULTS"), bold),
        _grid(rows, [8 * mm, 45 * mm, 40 * mm, 50 * mm, width - 143 * mm]),
        Spacer(1, 3 * mm),
    ]
    expectations = {e.core_value: e.text for e in skp.expectations.all()}
    rows = [
        [
            _p(_("Core value"), bold),
            _p(_("Leader's specific expectation"), bold),
            _p(_("Feedback"), bold),
        ]
    ]
    for value in CoreValue:
        notes = "\n".join(f"{f.by}: {f.text}" for f in feedback if f.core_value == value.value)
        expected = expectations.get(value.value, "–")
        rows.append([_p(value.label, body), _p(expected, body), _p(notes or "–", body)])
    story += [
        _p(_("WORK BEHAVIOUR"), bold),
        _grid(rows, [35 * mm, 65 * mm, width - 100 * mm]),
        Spacer(1, 3 * mm),
        _p(
            _("DISTRIBUTION CURVE of the unit %(unit)s (organisation grade: %(grade)s)")
            % {"unit": skp.position.unit.name, "grade": grade},
            bold,
        ),
        _curve(report.counts, width),
        Spacer(1, 5 * mm),
    ]
    signed = date_format(signed_on, "j F Y")
    signatures = Table(
        [
            [_p("", body), _p(f"{place}, {signed}", centre)],
            [_p(_("Employee assessed"), centre), _p(_("Pejabat penilai"), centre)],
            [Spacer(1, 16 * mm), Spacer(1, 16 * mm)],
            [_p(employee["name"], centre), _p(penilai["name"], centre)],
            [
                _p(_("NIP %(nip)s") % {"nip": employee["nip"]}, centre),
                _p(_("NIP %(nip)s") % {"nip": penilai["nip"]}, centre) if penilai["nip"] else "",
            ],
        ],
        colWidths=[width / 2, width / 2],
    )
    signatures.setStyle(
        TableStyle([("VALIGN", (0, 0), (-1, -1), "TOP"), ("FONTNAME", (0, 0), (-1, -1), FONT)])
    )
    story.append(signatures)
    pdf.build(story, canvasmaker=pdf_canvas)
    return buffer.getvalue()
