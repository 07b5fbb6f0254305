"""Business actions of evaluation: the owner submits a period, the pejabat penilai of the
day returns or rates it (predikat by the matrix), the head above sets the unit's grade
and finalises the unit's predikats against the distribution quota.

Each action runs in one transaction holding the SKP row lock and writes one history row;
two people acting at once: one wins, the other gets 409.
"""

from django.conf import settings
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _
from django_fsm import ConcurrentTransition, TransitionNotAllowed

from config.exceptions import ApplicationError, Conflict, Forbidden
from organization.models import Unit

from .models import Skp, SkpStatus
from .models_evaluation import (
    Evaluation,
    EvaluationEvent,
    EvaluationStatus,
    PredikatFinalisation,
    UnitGrade,
)
from .models_realisation import BuktiDukung, RealisationSource, RencanaAksi, UmpanBalik
from .rules import GRADE_RATING, OrganisationGrade, Period, PeriodKind, Rating, period_parse
from .rules import predikat_for as matrix_predikat
from .selectors import employee_for_user
from .selectors_evaluation import (
    leads_unit,
    may_grade,
    office_period,
    office_periods,
    predikat_report,
    skp_period,
    skp_periods,
)
from .services_guards import lock_for_penilai, lock_skp
from .services_lock import month_guard
from .services_settings import periods_guard
from .signals import evaluation_transition_recorded


def _evaluation(skp: Skp, code: str) -> tuple[Evaluation, Period]:
    """The SKP's evaluation row for `code`, created open on first use, locked FOR UPDATE
    (call holding the SKP row lock). Waits while the office is changing its periods."""
    periods_guard(office_id=skp.position.unit.office_id, year=skp.year)
    period = skp_period(skp=skp, code=code)
    if period is None:
        raise ApplicationError(
            field_errors={
                "period": [
                    _("Not an evaluation period of this SKP; its periods are: %(periods)s")
                    % {"periods": ", ".join(p.code for p in skp_periods(skp=skp))}
                ]
            }
        )
    Evaluation.objects.get_or_create(skp=skp, period=period.code, defaults={"kind": period.kind})
    evaluation = (
        Evaluation.objects.select_for_update()
        .select_related("skp")
        .get(skp=skp, period=period.code)
    )
    return evaluation, period


def _not_now(evaluation: Evaluation) -> Conflict:
    return Conflict(
        _("This evaluation is %(status)s: that action is not possible now.")
        % {"status": evaluation.get_status_display()}
    )


def _move(evaluation: Evaluation, method: str, fields: list[str], **kwargs) -> None:
    try:
        getattr(evaluation, method)(**kwargs)
    except TransitionNotAllowed as exc:
        raise _not_now(evaluation) from exc
    try:
        evaluation.save(update_fields=["status", *fields])
    except ConcurrentTransition as exc:
        raise Conflict(_("Someone else changed this evaluation at the same time.")) from exc


def _record(evaluation, *, action, user, from_status, note="", acting_as="") -> EvaluationEvent:
    event = EvaluationEvent.objects.create(
        evaluation=evaluation,
        action=action,
        actor=user,
        acting_as=acting_as or "",
        from_status=from_status,
        to_status=evaluation.status,
        note=note,
        at=timezone.now(),
    )
    evaluation_transition_recorded.send(sender=Evaluation, evaluation=evaluation, event=event)
    return event


def _require(text, name="note") -> str:
    text = (text or "").strip() if isinstance(text, str) else ""
    if not text:
        raise ApplicationError(field_errors={name: [_("This field is required.")]})
    return text[:5000]


def _missing_evidence(skp: Skp, period: Period) -> list[RencanaAksi]:
    has_evidence = BuktiDukung.objects.filter(rencana_aksi=OuterRef("pk"))
    return list(
        RencanaAksi.objects.filter(skp=skp, month__in=list(period.months), realisasi__value__gt=0)
        .exclude(Exists(has_evidence))
        # A sum of the daily log is evidenced by its entries' links and files (README).
        .exclude(realisasi__source=RealisationSource.DAILY_LOG, realisasi__daily_evidence__gt=0)
        .order_by("month", "id")
    )


@transaction.atomic
def evaluation_submit(*, skp: Skp, user, period: str) -> Evaluation:
    """The owner submits a period once it has begun; every realisasi above 0 in its
    months needs evidence (400 naming those without)."""
    employee = employee_for_user(user)
    skp = lock_skp(skp)
    if employee is None or skp.employee_id != employee.pk:
        raise Forbidden(_("Only the owner may submit this SKP's evaluation."))
    if skp.status != SkpStatus.APPROVED:
        raise Conflict(_("Only an approved SKP is evaluated."))
    evaluation, p = _evaluation(skp, period)
    if p.start > timezone.localdate():
        raise Conflict(_("The period %(period)s has not begun yet.") % {"period": p.code})
    month_guard(skp=skp, months=p.months, wholly=True)
    missing = _missing_evidence(skp, p)
    if missing:
        raise ApplicationError(
            _("Every realisation above 0 needs bukti dukung (evidence); missing for: %(items)s")
            % {"items": "; ".join(f"{ra.month:02d} {ra.text[:60]}" for ra in missing)}
        )
    if (
        p.kind != PeriodKind.ANNUAL
        and not RencanaAksi.objects.filter(skp=skp, month__in=list(p.months)).exists()
    ):
        raise ApplicationError(_("Enter the rencana aksi of the period before submitting it."))
    from_status = evaluation.status
    _move(evaluation, "submit", ["submitted_at"], at=timezone.now())
    _record(evaluation, action=EvaluationEvent.Action.SUBMITTED, user=user, from_status=from_status)
    return evaluation


@transaction.atomic
def evaluation_return(*, skp: Skp, user, period: str, note: str) -> Evaluation:
    """The pejabat penilai of the day sends a submitted period back to the owner."""
    skp, reviewer = lock_for_penilai(skp, user, on=timezone.localdate(), evaluating=True)
    evaluation, p = _evaluation(skp, period)
    note = _require(note)
    month_guard(skp=skp, months=p.months, wholly=True)
    from_status = evaluation.status
    _move(evaluation, "return_to_owner", ["submitted_at"])
    _record(
        evaluation,
        action=EvaluationEvent.Action.RETURNED,
        user=user,
        from_status=from_status,
        note=note,
        acting_as=reviewer.acting_as,
    )
    return evaluation


def _rating(value, name: str) -> int:
    if isinstance(value, bool) or value not in Rating.values:
        raise ApplicationError(field_errors={name: [_("Choose 1, 2 or 3.")]})
    return int(value)


def _check_feedback(skp: Skp, p: Period) -> None:
    """INF (DOMAIN.md 2.5): every RHK with realisasi in the period has feedback first."""
    rhk_ids = set(
        RencanaAksi.objects.filter(
            skp=skp, month__in=list(p.months), realisasi__isnull=False
        ).values_list("rhk_id", flat=True)
    )
    covered = set()
    for rhk_id, code in UmpanBalik.objects.filter(skp=skp, rhk_id__in=rhk_ids).values_list(
        "rhk_id", "period"
    ):
        fp = period_parse(code)
        if fp and set(fp.months) <= set(p.months):
            covered.add(rhk_id)
    missing = skp.rhks.filter(pk__in=rhk_ids - covered)
    if missing:
        raise ApplicationError(
            _("Give feedback on every RHK with a realisation in the period first: %(rhk)s")
            % {"rhk": "; ".join(r.text[:60] for r in missing)}
        )


def _leader_rating(skp: Skp, period: Period) -> int | None:
    """A unit leader's rating hasil kerja follows the unit's grade (DOMAIN.md 2.6)."""
    if not leads_unit(skp.position):
        return None
    grade = UnitGrade.objects.filter(unit_id=skp.position.unit_id, period=period.code).first()
    return GRADE_RATING[grade.grade] if grade else None


@transaction.atomic
def evaluation_rate(
    *, skp: Skp, user, period: str, rating_hasil_kerja, rating_perilaku, note: str = ""
) -> Evaluation:
    """The pejabat penilai of the day rates a submitted period; the predikat comes from
    the matrix. The annual evaluation waits for the last periodic one."""
    skp, reviewer = lock_for_penilai(skp, user, on=timezone.localdate(), evaluating=True)
    evaluation, p = _evaluation(skp, period)
    hasil = _rating(rating_hasil_kerja, "rating_hasil_kerja")
    perilaku = _rating(rating_perilaku, "rating_perilaku")
    if evaluation.status != EvaluationStatus.SUBMITTED:
        raise _not_now(evaluation)
    month_guard(skp=skp, months=p.months, wholly=True)
    forced = _leader_rating(skp, p)
    if forced is not None and forced != hasil:
        raise ApplicationError(
            field_errors={
                "rating_hasil_kerja": [
                    _(
                        "This employee leads the unit: the rating hasil kerja follows the "
                        "organisation grade (%(rating)s)."
                    )
                    % {"rating": Rating(forced).label}
                ]
            }
        )
    if p.kind == PeriodKind.ANNUAL:
        last = skp_periods(skp=skp)[-2]
        done = skp.evaluations.filter(
            period=last.code, status__in=[EvaluationStatus.RATED, EvaluationStatus.LOCKED]
        ).exists()
        if not done:
            raise Conflict(
                _("Rate the last periodic evaluation (%(period)s) before the annual one.")
                % {"period": last.code}
            )
    _check_feedback(skp, p)
    from_status = evaluation.status
    penilai = {
        "penilai": reviewer.employee,
        "penilai_name": reviewer.employee.name,
        "penilai_nip": reviewer.employee.nip,
        "penilai_position_name": reviewer.acting_as or reviewer.position.name,
        "penilai_unit_name": reviewer.position.unit.name,
    }
    _move(
        evaluation,
        "rate",
        ["rated_at", "rating_hasil_kerja", "rating_perilaku", "predikat", "note", *penilai],
        at=timezone.now(),
        hasil_kerja=hasil,
        perilaku=perilaku,
        predikat=int(matrix_predikat(hasil_kerja=hasil, perilaku=perilaku)),
        note=(note or "").strip()[:5000] if isinstance(note, str) else "",
        penilai=penilai,
    )
    _record(
        evaluation,
        action=EvaluationEvent.Action.RATED,
        user=user,
        from_status=from_status,
        note=evaluation.note,
        acting_as=reviewer.acting_as,
    )
    return evaluation


# --- the unit's grade and finalisation -------------------------------------------------------


def unit_period(unit: Unit, period: str) -> Period:
    """`period` when it is one of the unit's office's evaluation periods of its year
    (the office's granularity), else 400 naming the periods there are."""
    parsed = period_parse(period)
    if parsed is None:
        raise ApplicationError(
            field_errors={"period": [_("Give a period: YYYY-MM, YYYY-Qn, YYYY-Sn or YYYY.")]}
        )
    found = office_period(office_id=unit.office_id, code=parsed.code)
    if found is None:
        periods = office_periods(office_id=unit.office_id, year=parsed.year)
        raise ApplicationError(
            field_errors={
                "period": [
                    _(
                        "%(period)s is not an evaluation period of %(office)s in %(year)d; "
                        "its periods are: %(periods)s"
                    )
                    % {
                        "period": parsed.code,
                        "office": unit.office.code,
                        "year": parsed.year,
                        "periods": ", ".join(p.code for p in periods),
                    }
                ]
            }
        )
    return found


def _unit_guard(unit: Unit, p: Period) -> None:
    from .models_lock import PeriodLock

    locked = PeriodLock.objects.filter(
        office_id=unit.office_id,
        year=p.year,
        month__in=list(p.months),
        status=PeriodLock.Status.LOCKED,
    ).count()
    if locked == len(p.months):
        raise Conflict(_("The period is locked (periode terkunci): it can no longer change."))


@transaction.atomic
def unit_grade_set(*, user, unit: Unit, period: str, grade: str) -> UnitGrade:
    """The head above sets the unit's organisation grade for a period (until finalised)."""
    unit = Unit.objects.select_for_update().get(pk=unit.pk)
    allowed, acting_as = may_grade(user=user, unit=unit, on=timezone.localdate())
    if not allowed:
        raise Forbidden(_("Only the leader above the unit sets its organisation grade."))
    p = unit_period(unit, period)
    if grade not in OrganisationGrade.values:
        raise ApplicationError(field_errors={"grade": [_("Unknown organisation grade.")]})
    _unit_guard(unit, p)
    if PredikatFinalisation.objects.filter(unit=unit, period=p.code).exists():
        raise Conflict(_("The unit's predikats for this period are already finalised."))
    row, _created = UnitGrade.objects.update_or_create(
        unit=unit,
        period=p.code,
        defaults={"grade": grade, "set_by": user, "acting_as": acting_as, "set_at": timezone.now()},
    )
    return row


@transaction.atomic
def predikat_finalise(
    *, user, unit: Unit, period: str, override_reason: str = ""
) -> PredikatFinalisation:
    """Close the unit's period: check the distribution (DOMAIN.md 3.3), refuse (409) a
    failing hard check unless an override reason is given (or SKP_QUOTA_WARN_ONLY), record
    the checks, lock the rated evaluations."""
    unit = Unit.objects.select_for_update().select_related("office").get(pk=unit.pk)
    allowed, acting_as = may_grade(user=user, unit=unit, on=timezone.localdate())
    if not allowed:
        raise Forbidden(_("Only the leader above the unit finalises its predikats."))
    p = unit_period(unit, period)
    _unit_guard(unit, p)
    if PredikatFinalisation.objects.filter(unit=unit, period=p.code).exists():
        raise Conflict(_("The unit's predikats for this period are already finalised."))
    report = predikat_report(unit=unit, period=p)
    if report.grade is None:
        raise Conflict(_("Set the unit's organisation grade for the period first."))
    reason = (override_reason or "").strip()[:5000] if isinstance(override_reason, str) else ""
    warn_only = getattr(settings, "SKP_QUOTA_WARN_ONLY", False)
    if not report.ok and not reason and not warn_only:
        failed = [c.rule for c in report.checks if c.hard and not c.ok]
        raise Conflict(
            _(
                "The predikats do not fit the distribution for grade %(grade)s (failed: "
                "%(rules)s). Correct them or give an override reason."
            )
            % {"grade": report.grade.get_grade_display(), "rules": "; ".join(failed)}
        )
    finalisation = PredikatFinalisation.objects.create(
        unit=unit,
        period=p.code,
        grade=report.grade.grade,
        counts={str(k): v for k, v in report.counts.items()},
        checks=[{"rule": c.rule, "ok": c.ok, "hard": c.hard} for c in report.checks],
        ok=report.ok,
        override_reason=reason,
        finalised_by=user,
        acting_as=acting_as,
    )
    now = timezone.now()
    for evaluation in (
        Evaluation.objects.select_for_update()
        .filter(skp__position__unit=unit, period=p.code, status=EvaluationStatus.RATED)
        .select_related("skp")
    ):
        _move(evaluation, "lock", ["locked_at"], at=now)
        EvaluationEvent.objects.create(
            evaluation=evaluation,
            action=EvaluationEvent.Action.LOCKED,
            actor=user,
            acting_as=acting_as,
            from_status=EvaluationStatus.RATED,
            to_status=evaluation.status,
            note=reason,
            at=now,
        )
    return finalisation
