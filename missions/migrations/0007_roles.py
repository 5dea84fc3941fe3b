"""Editors and Publishers: Editors write and change content but cannot publish; Publishers
may also publish, unpublish and schedule. Neither can manage users or groups."""

from django.contrib.auth.management import create_permissions
from django.db import migrations

CONTENT_APPS = ["partners", "missions"]


def assign_roles(apps, schema_editor):
    for app_config in apps.get_app_configs():
        app_config.models_module = True
        create_permissions(app_config, apps=apps, verbosity=0)
        app_config.models_module = None

    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    content = Permission.objects.filter(content_type__app_label__in=CONTENT_APPS)
    publishing = content.filter(codename__startswith="publish_")

    editors, _ = Group.objects.get_or_create(name="Editors")
    editors.permissions.set(content.exclude(pk__in=publishing))
    publishers, _ = Group.objects.get_or_create(name="Publishers")
    publishers.permissions.set(content)


def remove_publishers(apps, schema_editor):
    apps.get_model("auth", "Group").objects.filter(name="Publishers").delete()


class Migration(migrations.Migration):
    dependencies = [
        ("partners", "0003_workflow"),
        ("missions", "0006_workflow"),
    ]

    operations = [migrations.RunPython(assign_roles, remove_publishers)]
