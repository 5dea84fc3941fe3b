"""Rich text: one editor configuration, and the sanitiser that enforces it.

The editor (django-prose-editor, assets shipped in the package) offers exactly these elements,
and nh3 removes everything else: scripts, event handlers, style and iframe tags, and links
that are not http, https or mailto (publishing.links). Text is sanitised when it is saved and
again when it is shown, so that content that arrived another way (fixtures, raw SQL, an old
backup) is safe too.
"""

from django.utils.html import linebreaks
from django.utils.safestring import SafeString, mark_safe
from django_prose_editor.fields import ProseEditorField, create_sanitizer

from publishing.links import LINK_SCHEMES

EXTENSIONS = {
    "Bold": True,
    "Italic": True,
    # Pages use <h1> for the title and <h2> for their sections: body headings nest below.
    "Heading": {"levels": [3, 4]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HardBreak": True,
    "Link": {"enableTarget": False, "protocols": list(LINK_SCHEMES)},
}

sanitize = create_sanitizer(EXTENSIONS)


class RichTextField(ProseEditorField):
    """A body of rich text, edited with the prose editor and sanitised on every save."""

    def __init__(self, *args, **kwargs):
        kwargs.setdefault("extensions", EXTENSIONS)
        kwargs.setdefault("sanitize", True)
        super().__init__(*args, **kwargs)

    def pre_save(self, model_instance, add):
        # The form field cleans what editors type; this also covers imports and scripts.
        # The stored value itself, not the attribute: on a translated field the attribute
        # reads the active language with its fallback, and writing that back would copy the
        # English text into an empty Chinese field.
        value = sanitize(model_instance.__dict__.get(self.attname) or "")
        model_instance.__dict__[self.attname] = value
        return value


def render(html: str) -> SafeString:
    return mark_safe(sanitize(html or ""))  # noqa: S308 - sanitised by nh3 just now


def from_plain_text(text: str) -> str:
    """Paragraphs of plain text (blank-line separated) as escaped HTML paragraphs."""
    if not text or text.lstrip().startswith("<"):
        return text
    return linebreaks(text, autoescape=True)
