# The search index moved here from the project package (its tables were lunarportal_searchentry);
# a database that has the old tables drops them, and `migrate` then indexes every row afresh
# (search.apps.index_content_without_entries): the index is derived from the content.

import django.contrib.postgres.search
import django.db.models.deletion
from django.db import migrations, models

import search.operations


def drop_the_old_index(apps, schema_editor):
    connection = schema_editor.connection
    if "lunarportal_searchentry" not in connection.introspection.table_names():
        return
    if connection.vendor == "postgresql":
        schema_editor.execute("DROP TABLE lunarportal_searchentry CASCADE")
        schema_editor.execute("DROP FUNCTION IF EXISTS lunarportal_searchentry_vector()")
    else:
        schema_editor.execute("DROP TABLE IF EXISTS lunarportal_searchentry_fts")
        schema_editor.execute("DROP TABLE lunarportal_searchentry")


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
    ]

    operations = [
        migrations.RunPython(drop_the_old_index, migrations.RunPython.noop, elidable=True),
        migrations.CreateModel(
            name='SearchEntry',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('object_id', models.PositiveBigIntegerField()),
                ('text_a', models.TextField(blank=True)),
                ('text_b', models.TextField(blank=True)),
                ('text_c', models.TextField(blank=True)),
                ('vector', django.contrib.postgres.search.SearchVectorField(editable=False, null=True)),
                ('content_type', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, to='contenttypes.contenttype')),
            ],
            options={
                'verbose_name': 'search entry',
                'verbose_name_plural': 'search entries',
            },
        ),
        migrations.AddConstraint(
            model_name='searchentry',
            constraint=models.UniqueConstraint(fields=('content_type', 'object_id'), name='searchentry_one_per_object'),
        ),
        search.operations.CreateSearchIndex(),
    ]
