"""The office's choices for a year (DOMAIN.md 2.1 and 5): how the year is cut into
periodic evaluations and how often the allowance is paid (which the locks follow).

The periods of a year are frozen once one of its evaluations was submitted: changing them
afterwards would orphan submitted or rated evaluations. Choosing and submitting are
serialised per office and year (`periods_guard`), so a change never slips in between a
submission's reading of the periods and its commit."""

from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from config.exceptions import ApplicationError, Conflict, Forbidden
from organization.models import Office

from .models_evaluation import OfficePerformanceSetting, PaymentCadence
from .models_realisation import RealisationSource
from .rules import Granularity
from .selectors_evaluation import configurable_offices, granularity_frozen

ADVISORY_NAMESPACE = 0x534B51  # apart from the month locks' 0x534B50


def periods_guard(*, office_id: int, year: int, exclusive: bool = False) -> None:
    """A transaction-level PostgreSQL advisory lock on (office, year): shared by every
    evaluation transition, exclusive while the periods are being changed. (The SQLite of
    `make run` lets one writer in at a time anyway.)"""
    if connection.vendor != "postgresql":
        return
    function = "pg_advisory_xact_lock" if exclusive else "pg_advisory_xact_lock_shared"
    with connection.cursor() as cursor:
        key = (office_id * 10000 + year) % 2**31
        cursor.execute(f"SELECT {function}(%s::int, %s::int)", [ADVISORY_NAMESPACE, key])


def may_configure(*, user, office: Office) -> bool:
    return any(o.pk == office.pk for o in configurable_offices(user=user))


@transaction.atomic
def performance_setting_save(
    *,
    user,
    office: Office,
    year,
    granularity: str,
    payment_cadence: str,
    realisation_source: str | None = None,
) -> OfficePerformanceSetting:
    """Record the office's choices for `year`. 403 for anyone but the office's
    administrator, its allowance administrators or a superuser; 400 for an unknown
    choice; 409 when the periods would change after an evaluation of the year was
    submitted. `realisation_source` (manual or the daily log's sum) may change any time:
    switching changes nothing already recorded (README); None keeps it."""
    if not may_configure(user=user, office=office):
        raise Forbidden(
            _("Only the office's administrator or allowance administrators choose this.")
        )
    errors = {}
    if not isinstance(year, int) or not 2000 <= year <= 2100:
        errors["year"] = [_("Enter a year between 2000 and 2100.")]
    if granularity not in Granularity.values:
        errors["granularity"] = [_("Choose monthly, quarterly or semester.")]
    if payment_cadence not in PaymentCadence.values:
        errors["payment_cadence"] = [_("Choose monthly or quarterly.")]
    if realisation_source is not None and realisation_source not in RealisationSource.values:
        errors["realisation_source"] = [_("Choose typed by the employee or the daily log.")]
    if errors:
        raise ApplicationError(field_errors=errors)
    periods_guard(office_id=office.pk, year=year, exclusive=True)
    setting, _created = OfficePerformanceSetting.objects.select_for_update().get_or_create(
        office=office, year=year
    )
    if setting.granularity != granularity and granularity_frozen(office_id=office.pk, year=year):
        raise Conflict(
            _(
                "The evaluation periods of %(year)d can no longer change: an evaluation of "
                "that year has already been submitted or rated (periods stay %(current)s)."
            )
            % {"year": year, "current": setting.get_granularity_display().lower()}
        )
    setting.granularity, setting.payment_cadence = granularity, payment_cadence
    if realisation_source is not None:
        setting.realisation_source = realisation_source
    setting.changed_by, setting.changed_at = user, timezone.now()
    setting.save()
    return setting
