"""Build the POST a browser would send from an admin page, to test the admin through its real forms."""

from django.db.models.fields.files import FieldFile
from django.utils.html import escape


def form_data(response, **overrides):
    """Every field of the admin page in `response` (main form and inlines) as the browser
    would send it back unchanged, then `overrides`."""
    forms = [response.context["adminform"].form]
    for inline in response.context["inline_admin_formsets"]:
        forms += [inline.formset.management_form, *inline.formset.forms]
    data = {}
    for form in forms:
        for field in form:
            data.update(_submitted(field.html_name, field.value()))
    data.update(overrides)
    return data


def _submitted(name, value):
    if value is None or value is False or isinstance(value, FieldFile):
        return {}  # what a browser leaves out: empty values, unticked boxes, files already stored
    if value is True:
        return {name: "on"}
    return {name: [str(item) for item in value] if isinstance(value, list) else str(value)}


def add_inline_form(response, data, model, **fields):
    """Add one filled-in form to the inline editing `model`, as "Add another" would."""
    formset = next(i.formset for i in response.context["inline_admin_formsets"] if i.formset.model is model)
    index = int(data[f"{formset.prefix}-TOTAL_FORMS"])
    data[f"{formset.prefix}-TOTAL_FORMS"] = str(index + 1)
    for field in formset.empty_form:
        data.update(_submitted(field.html_name.replace("__prefix__", str(index)), field.value()))
    data.update({f"{formset.prefix}-{index}-{name}": value for name, value in fields.items()})
    return data


def assert_refused(response, field, message):
    """The form came back (no redirect) with `message` next to `field`."""
    assert response.status_code == 200
    assert message in response.context["adminform"].form.errors[field]
    assert escape(message) in response.content.decode()
