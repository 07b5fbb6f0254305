"""Every model, field and choice label of the skp app that the admin shows is marked for
translation (that each marked string has an Indonesian translation, in every app, is
tests/core/test_translations_complete.py)."""

from django.apps import apps
from django.utils.functional import Promise


def _labels():
    for model in apps.get_app_config("skp").get_models():
        meta = model._meta
        yield f"{meta.label}.verbose_name", meta.verbose_name
        yield f"{meta.label}.verbose_name_plural", meta.verbose_name_plural
        for field in meta.get_fields():
            if field.auto_created or not hasattr(field, "verbose_name"):
                continue
            yield f"{meta.label}.{field.name}", field.verbose_name
            for value, label in field.flatchoices or []:
                yield f"{meta.label}.{field.name}={value}", label


def test_every_model_field_and_choice_label_is_marked_for_translation():
    unmarked = [name for name, label in _labels() if not isinstance(label, Promise)]
    assert unmarked == []
