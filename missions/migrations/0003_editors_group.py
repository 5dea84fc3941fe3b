"""The Editors group: every permission on the portal's content, none on users or groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_APPS = ["partners", "missions"]


def create_editors_group(apps, schema_editor):
    # Permissions are normally created after all migrations; on a fresh database they must
    # exist now for the group to receive them.
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.add(*Permission.objects.filter(content_type__app_label__in=CONTENT_APPS))


def remove_editors_group(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Editors").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("partners", "0001_initial"),
        ("missions", "0002_mission_types"),
    ]

    operations = [migrations.RunPython(create_editors_group, remove_editors_group)]
