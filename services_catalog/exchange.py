"""Sharing service definitions between offices: a service type with its form fields,
documents and steps exported as one catalogue document (docs/CATALOGUE_FORMAT.md), and
that document adapted to another office (its units mapped, a new code) before going
through the one loader, `loader.catalogue_import` (whole-entry checks, all or nothing)."""

import yaml
from django.utils.translation import gettext as _

from organization.models import Office

from .loader import CatalogueFileError, catalogue_import
from .models import ServiceType

SERVICE_TEXTS = ["description", "requirements", "procedure", "product", "legal_basis",
                 "complaint_channel", "synonyms"]  # fmt: skip


def _ref(unit) -> str:
    return f"{unit.office.code}/{unit.code}"


def service_type_export(*, services) -> dict:
    """The catalogue document of these services (everything the loader reads back)."""
    entries = []
    for s in services:
        entry = {
            "code": s.code,
            "name": s.name,
            "unit": _ref(s.unit),
            "is_active": s.is_active,
            "sla_working_days": s.sla_working_days,
            "fee": s.fee,
            "product_is_digital": s.product_is_digital,
            "display_order": s.display_order,
        }
        entry.update({k: getattr(s, k) for k in SERVICE_TEXTS})
        entry["fields"] = [
            {
                "code": f.code,
                "label": f.label,
                "type": f.type,
                "required": f.required,
                **({"choices": list(f.choices)} if f.choices else {}),
                "help_text": f.help_text,
                **({"max_value": f.max_value} if f.max_value is not None else {}),
            }
            for f in s.fields.all()
        ]
        entry["documents"] = [
            {
                "code": d.code,
                "label": d.label,
                "required": d.required,
                "content_types": list(d.content_types),
                "max_bytes": d.max_bytes,
                "help_text": d.help_text,
            }
            for d in s.documents.all()
        ]
        entry["steps"] = [
            {
                "name": st.name,
                "unit": _ref(st.unit),
                "sla_working_days": st.sla_working_days,
                "may_return": st.may_return,
                "produces_result": st.produces_result,
                "description": st.description,
                **({"group": st.group.name} if st.group else {}),
            }
            for st in sorted(s.steps.all(), key=lambda st: st.order)
        ]
        entries.append(entry)
    return {"format": "alur-catalogue/1", "services": entries}


def service_type_export_yaml(*, services) -> str:
    queryset = ServiceType.objects.filter(pk__in=[s.pk for s in services]).select_related(
        "unit__office").prefetch_related("fields", "documents", "steps__unit__office",
                                         "steps__group")  # fmt: skip
    return yaml.safe_dump(service_type_export(services=queryset), allow_unicode=True,
                          sort_keys=False, width=100)  # fmt: skip


def service_type_adapt(
    *,
    document: dict,
    office: Office,
    unit_map: dict[str, str] | None = None,
    codes: dict[str, str] | None = None,
) -> dict:
    """The document with its units moved to `office`: `unit_map` {"KJB/phu": "MJB/haji"}
    names where each unit goes, any other keeps its unit code in the new office. Service
    codes are unique across offices, so each gets `codes[old]` or `<old>-<office code>`."""
    unit_map, codes = unit_map or {}, codes or {}

    def move(ref):
        if not isinstance(ref, str) or "/" not in ref:
            return ref
        return unit_map.get(ref) or f"{office.code}/{ref.split('/', 1)[1]}"

    services = []
    for entry in document.get("services") or []:
        if not isinstance(entry, dict):
            raise CatalogueFileError([_("services: each entry must be a mapping")])
        entry = dict(entry, unit=move(entry.get("unit")))
        code = str(entry.get("code", ""))
        entry["code"] = codes.get(code) or f"{code}-{office.code.lower()}"
        entry["steps"] = [
            dict(step, unit=move(step.get("unit"))) if isinstance(step, dict) else step
            for step in entry.get("steps") or []
        ]
        services.append(entry)
    return {**document, "services": services}


def service_type_import_into(*, document: dict, office: Office, unit_map=None, codes=None):
    """Adapt, then import through the one loader (services only). Returns its counts."""
    adapted = service_type_adapt(document=document, office=office, unit_map=unit_map,
                                 codes=codes)  # fmt: skip
    return catalogue_import(document=adapted, sections=("services",))
