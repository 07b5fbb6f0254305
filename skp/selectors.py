"""Read-side questions about SKP: who reviews what, who may see what."""

import datetime

from django.db.models import Prefetch, QuerySet
from django.utils.translation import gettext as _

from config.exceptions import Forbidden
from organization.models import Employee
from organization.selectors import Official, official_for_position, positions_acted_for

from .models import Indicator, Rhk, Skp, SkpEvent, SkpStatus


def employee_for_user(user) -> Employee | None:
    if not user or not user.is_authenticated:
        return None
    return Employee.objects.filter(user=user).first()


def employee_required(user) -> Employee:
    """The employee acting; 403 for an account that is not one (SKP, attendance, daily log)."""
    employee = employee_for_user(user)
    if employee is None:
        raise Forbidden(_("Your account is not linked to an employee."))
    return employee


def skp_reviewer(*, skp: Skp, on: datetime.date) -> Official | None:
    """The pejabat penilai of `skp` on day `on`: whoever acts for the superior of the
    position the SKP is for (a PLT/PLH in force replaces the definitive holder)."""
    superior = skp.position.superior
    if superior is None:
        return None
    return official_for_position(position=superior, on=on)


def skp_list_mine(*, user) -> QuerySet[Skp]:
    return Skp.objects.filter(employee__user=user).select_related(
        "employee", "position", "position__unit"
    )


def skp_list_to_review(*, user, on: datetime.date) -> tuple[QuerySet[Skp], dict[int, str | None]]:
    """Submitted SKPs whose owner's superior position `user` acts for on `on`, and the
    map superior position id -> acting title to label each item with. A constant number
    of queries whatever the number of subordinates."""
    employee = employee_for_user(user)
    if employee is None:
        return Skp.objects.none(), {}
    acted = positions_acted_for(employee=employee, on=on)
    qs = (
        Skp.objects.filter(status=SkpStatus.SUBMITTED, position__superior_id__in=list(acted))
        .exclude(employee=employee)
        .select_related("employee", "position", "position__unit")
        .order_by("submitted_at", "id")
    )
    return qs, acted


def skp_visible_to(*, skp: Skp, user, on: datetime.date) -> bool:
    """The owner and the pejabat penilai of the day see an SKP; nobody else."""
    employee = employee_for_user(user)
    if employee is None:
        return False
    if skp.employee_id == employee.pk:
        return True
    reviewer = skp_reviewer(skp=skp, on=on)
    return reviewer is not None and reviewer.employee.pk == employee.pk


def skp_get_with_content(*, skp_id: int) -> Skp | None:
    return (
        Skp.objects.select_related(
            "employee", "position", "position__unit", "position__unit__office", "position__superior"
        )
        .prefetch_related(
            Prefetch(
                "rhks",
                queryset=Rhk.objects.select_related("parent_rhk").prefetch_related(
                    Prefetch("indicators", queryset=Indicator.objects.order_by("id"))
                ),
            ),
            "expectations",
        )
        .filter(pk=skp_id)
        .first()
    )


def skp_history(*, skp: Skp) -> QuerySet[SkpEvent]:
    return skp.events.select_related("actor").order_by("at", "id")


def parent_rhk_choices(*, skp: Skp) -> QuerySet[Rhk]:
    """The RHK an owner may derive theirs from: those of the same year's SKP(s) for the
    superior of the owner's position (the intervensi cascade)."""
    superior_id = skp.position.superior_id
    if superior_id is None:
        return Rhk.objects.none()
    return Rhk.objects.filter(skp__position_id=superior_id, skp__year=skp.year).select_related(
        "skp"
    )


def skp_document(*, skp: Skp, on: datetime.date) -> dict:
    """Identity block of the document: the snapshot once submitted, else today's data."""
    if skp.submitted_at:
        return {
            "employee_name": skp.employee_name,
            "employee_nip": skp.employee_nip,
            "position_name": skp.position_name,
            "unit_name": skp.unit_name,
            "penilai_name": skp.penilai_name,
            "penilai_nip": skp.penilai_nip,
            "penilai_position_name": skp.penilai_position_name,
            "penilai_unit_name": skp.penilai_unit_name,
        }
    reviewer = skp_reviewer(skp=skp, on=on)
    doc = {
        "employee_name": skp.employee.name,
        "employee_nip": skp.employee.nip,
        "position_name": skp.position.name,
        "unit_name": skp.position.unit.name,
        "penilai_name": "",
        "penilai_nip": "",
        "penilai_position_name": "",
        "penilai_unit_name": "",
    }
    if reviewer is not None:
        doc.update(
            penilai_name=reviewer.employee.name,
            penilai_nip=reviewer.employee.nip,
            penilai_position_name=reviewer.acting_as or reviewer.position.name,
            penilai_unit_name=reviewer.position.unit.name,
        )
    return doc


def skp_event_audience(*, event_id: int, on: datetime.date) -> list[Employee]:
    """Who should hear of an SKP transition (for `skp_transitioned` listeners): the
    pejabat penilai of the day for a submission, the owner for a return, an approval
    or a reopening. Empty when nobody fits (e.g. a vacant superior position)."""
    event = (
        SkpEvent.objects.select_related(
            "skp__employee", "skp__position__superior", "skp__position__unit"
        )
        .filter(pk=event_id)
        .first()
    )
    if event is None or event.action == SkpEvent.Action.CREATED:
        return []
    if event.action == SkpEvent.Action.SUBMITTED:
        reviewer = skp_reviewer(skp=event.skp, on=on)
        return [reviewer.employee] if reviewer is not None else []
    return [event.skp.employee]
