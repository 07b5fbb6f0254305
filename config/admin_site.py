"""Alur's admin site: the index grouped by what an office administrator manages, and the
engine's internals kept for superusers.

Django groups the admin by Python app, which shows an administrator two "Workflow"
sections (ours and viewflow's) and tables they must never touch (viewflow processes,
idempotency keys, login lockouts). Here each registered model belongs to exactly one
section (a test checks that a newly registered model is placed), sections keep the order
below, and a TECHNICAL model is refused to anyone but a superuser, in the index and at
its URLs alike. Models are named by label only: the site imports no app.
"""

from django.contrib import admin
from django.contrib.admin.apps import AdminConfig
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

# (anchor, title, model labels in the order shown)
SECTIONS = [
    (
        "layanan",
        _("Services"),
        [
            "services_catalog.servicetype",
            "documents.lettertemplate",
            "documents.letternumbering",
        ],
    ),
    (
        "permohonan",
        _("Requests and results"),
        ["workflow.servicerequest", "documents.issueddocument"],
    ),
    (
        "organisasi",
        _("Organisation"),
        ["organization.office", "organization.unit", "organization.position"],
    ),
    (
        "pegawai",
        _("Employees and PLT"),
        [
            "organization.employee",
            "organization.positionholding",
            "organization.actingassignment",
            "personnel.consistencyissue",
            "personnel.siasnimport",
            "personnel.siasnrecord",
        ],
    ),
    (
        "akun",
        _("Staff accounts and access"),
        ["auth.user", "organization.staffmembership", "auth.group"],
    ),
    (
        "kinerja",
        _("Performance (SKP)"),
        [
            "skp.skp",
            "skp.rhk",
            "skp.behaviourexpectation",
            "skp.evaluation",
            "skp.umpanbalik",
            "skp.unitgrade",
            "skp.predikatfinalisation",
            "skp.officeperformancesetting",
            "skp.allowanceadmin",
            "skp.periodlock",
            "skp.evaluationevent",
            "skp.periodlockevent",
        ],
    ),
    ("pesan", _("Messages"), ["notifications.messagetemplate", "notifications.message"]),
    ("integrasi", _("Integration (Open311)"), ["open311.apiclient", "open311.open311request"]),
    (
        "teknis",
        _("Technical (superusers only)"),
        [
            "viewflow.process",
            "viewflow.task",
            "workflow.task",
            "workflow.idempotencykey",
            "core.loginevent",
            "authtoken.tokenproxy",
            "axes.accessattempt",
            "axes.accesslog",
            "axes.accessfailurelog",
        ],
    ),
]
TECHNICAL = frozenset(SECTIONS[-1][2])
SECTION_OF = {label: anchor for anchor, _title, labels in SECTIONS for label in labels}


def _superuser_only(check):
    def wrapped(request, *args, **kwargs):
        user = request.user
        return user.is_active and user.is_superuser and check(request, *args, **kwargs)

    return wrapped


class AlurAdminSite(admin.AdminSite):
    site_header = _("Alur administration")
    site_title = _("Alur administration")
    index_title = _("Catalogue and organisation")

    def register(self, model_or_iterable, admin_class=None, **options):
        super().register(model_or_iterable, admin_class, **options)
        models = model_or_iterable
        if not isinstance(models, list | tuple):
            models = [models]
        for model in models:
            if model._meta.label_lower in TECHNICAL:
                model_admin = self._registry[model]
                for name in (
                    "has_module_permission",
                    "has_view_permission",
                    "has_add_permission",
                    "has_change_permission",
                    "has_delete_permission",
                ):
                    setattr(model_admin, name, _superuser_only(getattr(model_admin, name)))

    def get_app_list(self, request, app_label=None):
        if app_label is not None:  # an app's own page (breadcrumbs) keeps Django's view
            return super().get_app_list(request, app_label)
        models = {
            f"{app['app_label']}.{entry['object_name'].lower()}": entry
            for app in self._build_app_dict(request).values()
            for entry in app["models"]
        }
        index = reverse("admin:index", current_app=self.name)
        sections = []
        for anchor, title, labels in SECTIONS:
            entries = [models.pop(label) for label in labels if label in models]
            if entries:
                sections.append(
                    {
                        "name": title,
                        "app_label": anchor,
                        "app_url": f"{index}#{anchor}",
                        "has_module_perms": True,
                        "models": entries,
                    }
                )
        if models and request.user.is_superuser:  # registered but not yet placed
            sections.append(
                {
                    "name": _("Other"),
                    "app_label": "lainnya",
                    "app_url": f"{index}#lainnya",
                    "has_module_perms": True,
                    "models": sorted(models.values(), key=lambda m: str(m["name"])),
                }
            )
        return sections


class AlurAdminConfig(AdminConfig):
    default_site = "config.admin_site.AlurAdminSite"
