"""How every form of the site is rendered (settings.FORM_RENDERER)."""

from django.forms.renderers import DjangoTemplates

ERROR_TEMPLATES = "django/forms/errors/"


class FormRenderer(DjangoTemplates):
    """Django's own renderer, without rendering a template to write nothing: the admin asks each
    field and each inline row for its errors (several hundred times on a mission's change form),
    and an empty error list rendered its template every time, only for the `{% if errors %}`
    inside to leave the output empty."""

    def render(self, template_name, context, request=None):
        if template_name.startswith(ERROR_TEMPLATES) and not context.get("errors"):
            return ""
        return super().render(template_name, context, request)
