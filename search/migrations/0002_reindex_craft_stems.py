# Search terms changed (search.text.CRAFT_STEMS: "lander" is now the term "land"): the stored
# entries hold the old terms. They are derived from the content, so they are dropped here, and
# `migrate` indexes every row afresh once all migrations are applied
# (search.apps.index_content_without_entries).

from django.db import migrations


def drop_entries(apps, schema_editor):
    apps.get_model("search", "SearchEntry").objects.using(schema_editor.connection.alias).all().delete()


class Migration(migrations.Migration):
    dependencies = [
        ("search", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(drop_entries, migrations.RunPython.noop, elidable=True),
    ]
