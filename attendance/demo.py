"""Demo attendance data, loaded by `seed_demo` (settings.DEMO_LOADERS): the offices'
geofences and working calendars, and which internal services mark leave days."""

from organization.models import Office
from services_catalog.models import ServiceType

from .models import LeaveService, WorkCalendar, WorkLocation

# Approximate office coordinates (the demo's invented offices sit at real city centres).
OFFICES = {
    "KWJ": ("Kanwil Kemenag Provinsi Jambi", -1.6101, 103.6131),
    "KJB": ("Kantor Kemenag Kota Jambi", -1.6350, 103.6070),
    "MJB": ("Kantor Kemenag Kabupaten Muaro Jambi", -1.5830, 103.7200),
}
LEAVE = {"cuti-tahunan": ("cuti_tahunan", 12), "izin-tidak-masuk": ("izin", None)}


def demo_load() -> dict:
    for office in Office.objects.filter(code__in=OFFICES):
        name, lat, lon = OFFICES[office.code]
        WorkLocation.objects.update_or_create(
            kind=WorkLocation.Kind.OFFICE,
            office=office,
            name=name,
            defaults={"latitude": lat, "longitude": lon, "radius_m": 200, "max_accuracy_m": 100},
        )
        WorkCalendar.objects.get_or_create(office=office, defaults={"late_after_minutes": 15})
    for code, (kind, days) in LEAVE.items():
        service = ServiceType.objects.filter(code=code).first()
        if service is not None:
            LeaveService.objects.update_or_create(
                service=service, defaults={"absence_kind": kind, "annual_days": days}
            )
    return {}
