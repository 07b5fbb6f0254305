"""Read-side questions of the personnel room: who may reconcile, the issues, the summary."""

from django.db.models import Count, Q, QuerySet
from django.utils import timezone

from organization.models import Office, PositionHolding, Unit
from organization.selectors import administered_office_ids

from .models import ConsistencyIssue, IssueClass, SiasnImport

PERMISSION = "personnel.reconcile_personnel"
STATUS_FILTERS = {"open", "acknowledged", "resolved", "all"}


def may_reconcile(user) -> bool:
    """HR (the 'Pengelola kepegawaian' group, or anyone given the permission) and
    superusers."""
    return bool(user and user.is_authenticated and user.has_perm(PERMISSION))


def office_scope(user) -> set[int] | None:
    """The offices whose issues `user` sees: all (None) for a superuser and for HR with no
    office of their own (the regional or central personnel section, by the permission);
    an office's personnel or administrator (role `hr` or `admin`) sees only that office."""
    offices = administered_office_ids(user)
    return offices or None


def _scoped(qs, user, field="office_id"):
    offices = office_scope(user)
    return qs if offices is None else qs.filter(**{f"{field}__in": offices})


def issue_list(
    *,
    user,
    issue_class: str = "",
    status: str = "open",
    office: str = "",
    unit: str = "",
    nip: str = "",
) -> QuerySet[ConsistencyIssue]:
    """Issues `user` may see, filtered as the monitor and the API ask; unknown filter
    values match nothing."""
    qs = (
        _scoped(ConsistencyIssue.objects, user)
        .select_related("employee", "record__imported", "office", "unit__office")
        .order_by("issue_class", "office__code", "nip", "field")
    )
    if status != "all":
        qs = qs.filter(status=status if status in STATUS_FILTERS else "-")
    if issue_class:
        qs = qs.filter(issue_class=issue_class)
    if office:
        qs = qs.filter(office__code=office)
    if unit:
        qs = qs.filter(unit__code=unit)
    if nip:
        qs = qs.filter(nip=nip.replace(" ", ""))
    return qs


def issue_get(*, pk, user) -> ConsistencyIssue | None:
    return (
        _scoped(ConsistencyIssue.objects, user)
        .select_related("employee", "record", "office", "unit")
        .filter(pk=pk)
        .first()
    )


def last_import() -> SiasnImport | None:
    return (
        SiasnImport.objects.filter(status=SiasnImport.Status.DONE).order_by("-finished_at").first()
    )


def _percent(employees: int, with_issues: int) -> float | None:
    if not employees:
        return None
    return round(100 * (employees - with_issues) / employees, 1)


def _row(employees, with_issues, counts):
    return {
        "employees": employees,
        "with_issues": with_issues,
        "consistent_percent": _percent(employees, with_issues),
        "counts": {c: counts.get(c, 0) for c in IssueClass.values},
    }


def consistency_summary(*, user) -> dict:
    """Per office and unit `user` may see: employees (definitive holders today), employees
    with an open issue, % consistent and open issues per class; the last import. Seven
    queries."""
    today = timezone.localdate()
    open_issues = _scoped(ConsistencyIssue.objects, user).filter(
        status=ConsistencyIssue.Status.OPEN
    )
    holders = _scoped(PositionHolding.objects.on(today), user, "position__unit__office_id")

    def grouped(qs, key, value, distinct_field):
        return {
            r[key]: r["n"]
            for r in qs.values(key).annotate(n=Count(distinct_field, distinct=True)).order_by()
            if value is None or r[key] is not None
        }

    unit_emp = grouped(holders, "position__unit_id", None, "employee_id")
    office_emp = grouped(holders, "position__unit__office_id", None, "employee_id")
    with_employee = open_issues.filter(employee__isnull=False)
    unit_bad = grouped(with_employee, "unit_id", None, "employee_id")
    office_bad = grouped(with_employee, "office_id", None, "employee_id")
    unit_counts, office_counts, total_counts = {}, {}, {}
    for r in open_issues.values("office_id", "unit_id", "issue_class").annotate(n=Count("id")):
        unit_counts.setdefault(r["unit_id"], {}).setdefault(r["issue_class"], 0)
        unit_counts[r["unit_id"]][r["issue_class"]] += r["n"]
        office_counts.setdefault(r["office_id"], {}).setdefault(r["issue_class"], 0)
        office_counts[r["office_id"]][r["issue_class"]] += r["n"]
        total_counts[r["issue_class"]] = total_counts.get(r["issue_class"], 0) + r["n"]
    units_by_office: dict[int, list] = {}
    for u in Unit.objects.filter(
        Q(pk__in=list(unit_emp)) | Q(pk__in=[k for k in unit_counts if k])
    ).order_by("name"):
        units_by_office.setdefault(u.office_id, []).append(
            {
                "code": u.code,
                "name": u.name,
                **_row(unit_emp.get(u.pk, 0), unit_bad.get(u.pk, 0), unit_counts.get(u.pk, {})),
            }
        )
    offices = [
        {
            "code": o.code,
            "name": o.name,
            **_row(office_emp.get(o.pk, 0), office_bad.get(o.pk, 0), office_counts.get(o.pk, {})),
            "units": units_by_office.get(o.pk, []),
        }
        for o in Office.objects.filter(
            Q(pk__in=list(office_emp)) | Q(pk__in=[k for k in office_counts if k])
        ).order_by("code")
    ]
    total_employees = holders.values("employee_id").distinct().count()
    total_bad = with_employee.values("employee_id").distinct().count()
    imported = last_import()
    return {
        "last_import": None
        if imported is None
        else {
            "id": imported.pk,
            "file": imported.file_name,
            "source": imported.source,
            "finished_at": imported.finished_at,
        },
        **_row(total_employees, total_bad, total_counts),
        "unassigned": _row(0, 0, office_counts.get(None, {})),
        "offices": offices,
    }
