"""Mission bodies were plain text with blank lines between paragraphs; they are now rich text.
Turn each stored body into escaped HTML paragraphs, as the public page used to show it."""

from django.db import migrations
from django.utils.html import linebreaks


def to_html(apps, schema_editor):
    Mission = apps.get_model("missions", "Mission")
    for mission in Mission.objects.exclude(body="").exclude(body__startswith="<"):
        mission.body = linebreaks(mission.body, autoescape=True)
        mission.save(update_fields=["body"])


class Migration(migrations.Migration):
    dependencies = [("missions", "0008_rich_text_bodies")]

    # Nothing to undo: 0008 already made bodies rich text, so HTML bodies are right there too.
    operations = [migrations.RunPython(to_html, migrations.RunPython.noop)]
