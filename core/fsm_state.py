"""django-fsm-2 and migration states: each FSMField, when a model class is built, connects
a `class_prepared` receiver (`_collect_transitions`) that stays connected for as long as
the field lives. `migrate` builds the historical models of every state it passes through,
cloning each FSMField thousands of times, so the receivers pile up (125 by the end of
Alur's migrations) and every model class built afterwards calls all of them: 1.85 million calls in
a migration from an empty database (the release step of every fresh deployment and the
suite's template database; README, Dependencies, for the measured CPU).

A historical model (one built in a migration's own app registry) has no methods, so it
has no transitions to collect: its field disconnects the receiver once the class is
built. Models of the real registry are untouched.
"""

from django.apps import apps as global_apps
from django.db.models.signals import class_prepared
from django_fsm import FSMFieldMixin

_contribute_to_class = FSMFieldMixin.contribute_to_class


def _contribute_outside_migrations(self, cls, name, *args, **kwargs):
    _contribute_to_class(self, cls, name, *args, **kwargs)
    if cls._meta.apps is not global_apps:
        class_prepared.disconnect(self._collect_transitions)


def install() -> None:
    if FSMFieldMixin.contribute_to_class is _contribute_to_class:
        FSMFieldMixin.contribute_to_class = _contribute_outside_migrations
