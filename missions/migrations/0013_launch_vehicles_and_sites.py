# Launch vehicles and launch sites become records of their own, named in each language once for
# every mission that uses them. Each distinct text a mission held becomes one record (its English
# name), and the mission points to it; going back writes the English names into the text fields.

import django.db.models.deletion
from django.contrib.auth.management import create_permissions
from django.db import migrations, models

RECORDS = {"launch_vehicle": "launchvehicle", "launch_site": "launchsite"}


def texts_to_records(apps, schema_editor):
    Mission = apps.get_model("missions", "Mission")
    for field, model_name in RECORDS.items():
        model = apps.get_model("missions", model_name)
        records = {}
        for mission in Mission.objects.exclude(**{field: ""}).order_by("pk"):
            # Spaces around a name typed in a form are no different name.
            name = getattr(mission, field).strip()
            if name not in records:
                records[name] = model.objects.create(name=name, name_en=name, name_zh_hans="")
            setattr(mission, f"{field}_record", records[name])
            mission.save(update_fields=[f"{field}_record"])


def records_to_texts(apps, schema_editor):
    # The English names go back into the text fields; the Chinese names have no column before
    # this migration and are lost (take a backup first).
    Mission = apps.get_model("missions", "Mission")
    for field in RECORDS:
        for mission in Mission.objects.filter(**{f"{field}_record__isnull": False}).select_related(f"{field}_record"):
            record = getattr(mission, f"{field}_record")
            setattr(mission, field, (record.name_en or record.name or "")[:200])
            mission.save(update_fields=[field])


def check_constraints_now(apps, schema_editor):
    """PostgreSQL checks foreign keys at commit; a table whose rows were just written cannot be
    altered in the same transaction until those checks have run ("pending trigger events")."""
    if schema_editor.connection.vendor == "postgresql":
        schema_editor.execute("SET CONSTRAINTS ALL IMMEDIATE")


def grant_roles(apps, schema_editor):
    """Editors may add launch vehicles and sites (a new one shows only through a mission that
    is reviewed); changing or deleting one changes published pages, which is a publisher's."""
    app_config = apps.get_app_config("missions")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(
        content_type__app_label="missions", content_type__model__in=RECORDS.values()
    )
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*permissions.filter(codename__regex=r"^(view|add)_"))
    for group in Group.objects.filter(name="Publishers"):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("missions", "0012_translated_names_and_windows"),
    ]

    operations = [
        migrations.CreateModel(
            name="LaunchSite",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "name",
                    models.CharField(
                        help_text='With the pad when known: "Xichang LC-3".', max_length=200, verbose_name="name"
                    ),
                ),
                (
                    "name_en",
                    models.CharField(
                        help_text='With the pad when known: "Xichang LC-3".',
                        max_length=200,
                        null=True,
                        verbose_name="name",
                    ),
                ),
                (
                    "name_zh_hans",
                    models.CharField(
                        help_text='With the pad when known: "Xichang LC-3".',
                        max_length=200,
                        null=True,
                        verbose_name="name",
                    ),
                ),
            ],
            options={
                "verbose_name": "launch site",
                "verbose_name_plural": "launch sites",
                "ordering": ["pk"],
            },
        ),
        migrations.CreateModel(
            name="LaunchVehicle",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                (
                    "name",
                    models.CharField(
                        help_text='As sources name it, with its serial when known: "Long March 5 (CZ-5, Y8)".',
                        max_length=200,
                        verbose_name="name",
                    ),
                ),
                (
                    "name_en",
                    models.CharField(
                        help_text='As sources name it, with its serial when known: "Long March 5 (CZ-5, Y8)".',
                        max_length=200,
                        null=True,
                        verbose_name="name",
                    ),
                ),
                (
                    "name_zh_hans",
                    models.CharField(
                        help_text='As sources name it, with its serial when known: "Long March 5 (CZ-5, Y8)".',
                        max_length=200,
                        null=True,
                        verbose_name="name",
                    ),
                ),
            ],
            options={
                "verbose_name": "launch vehicle",
                "verbose_name_plural": "launch vehicles",
                "ordering": ["pk"],
            },
        ),
        migrations.AddField(
            model_name="mission",
            name="launch_site_record",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="missions",
                to="missions.launchsite",
                verbose_name="launch site",
            ),
        ),
        migrations.AddField(
            model_name="mission",
            name="launch_vehicle_record",
            field=models.ForeignKey(
                blank=True,
                null=True,
                on_delete=django.db.models.deletion.PROTECT,
                related_name="missions",
                to="missions.launchvehicle",
                verbose_name="launch vehicle",
            ),
        ),
        migrations.RunPython(check_constraints_now, check_constraints_now),
        migrations.RunPython(texts_to_records, records_to_texts),
        migrations.RunPython(check_constraints_now, check_constraints_now),
        migrations.RemoveField(model_name="mission", name="launch_site"),
        migrations.RemoveField(model_name="mission", name="launch_vehicle"),
        migrations.RenameField(model_name="mission", old_name="launch_site_record", new_name="launch_site"),
        migrations.RenameField(model_name="mission", old_name="launch_vehicle_record", new_name="launch_vehicle"),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
