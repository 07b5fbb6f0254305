"""core/fsm_state.py: historical models built by migrations leave no django-fsm receiver
connected, while the real models keep their transitions."""

from django.db.migrations.loader import MigrationLoader
from django.db.models.signals import class_prepared
from django_fsm import FSMFieldMixin

from workflow.models import ServiceRequest


def test_rendering_every_migration_state_leaves_no_fsm_receiver_behind():
    before = len(class_prepared.receivers)
    state = MigrationLoader(None, ignore_no_migrations=True).project_state()
    historical = state.apps  # builds every historical model, four with an FSMField
    status = historical.get_model("workflow", "ServiceRequest")._meta.get_field("status")
    assert isinstance(status, FSMFieldMixin)
    assert len(class_prepared.receivers) == before


def test_the_real_models_keep_their_transitions():
    names = {t.name for t in ServiceRequest().get_all_status_transitions()}
    assert {"submit", "advance", "return_for_correction", "complete"} <= names
