"""A refused action is shown on pages one way (config.exceptions): field errors next to
their inputs, anything else at the top, for ApplicationError and ValidationError alike."""

from django import forms
from django.core.exceptions import ValidationError

from config.exceptions import ApplicationError, error_dict, error_messages, form_add_errors


class NoteForm(forms.Form):
    note = forms.CharField(required=False)


def bound():
    form = NoteForm({"note": "x"})
    assert form.is_valid()
    return form


def test_field_errors_go_next_to_their_input_and_unknown_keys_to_the_top():
    form = bound()
    form_add_errors(form, ApplicationError(field_errors={"note": ["Wajib diisi."], "x": "Salah."}))
    assert form.errors == {"note": ["Wajib diisi."], "__all__": ["Salah."]}


def test_a_plain_message_goes_to_the_top_and_keys_can_be_mapped():
    form = bound()
    form_add_errors(form, ApplicationError("Tidak boleh."))
    assert form.non_field_errors() == ["Tidak boleh."]
    form = bound()
    form_add_errors(form, ApplicationError(field_errors={"data.note": ["A"]}), name_of=str.upper)
    assert form.non_field_errors() == ["A"]
    form = bound()
    form_add_errors(
        form,
        ApplicationError(field_errors={"data.note": ["A"]}),
        name_of=lambda key: key.split(".")[1],
    )
    assert form.errors == {"note": ["A"]}


def test_model_validation_errors_read_the_same():
    assert error_dict(ValidationError({"note": ["A"], "__all__": ["B"]})) == {
        "note": ["A"],
        None: ["B"],
    }
    assert error_messages(ValidationError("C")) == ["C"]
    assert error_messages(ApplicationError(field_errors={"a": {"b": ["D"]}})) == ["D"]
