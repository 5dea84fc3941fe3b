from django.db import migrations

CODES = ["orbiter", "lander", "rover", "hopper", "sample_return", "relay", "technology_demonstrator"]


def create_mission_types(apps, schema_editor):
    MissionType = apps.get_model("missions", "MissionType")
    for code in CODES:
        MissionType.objects.get_or_create(code=code)


class Migration(migrations.Migration):
    dependencies = [("missions", "0001_initial")]

    # Nothing to undo: going back further, 0001 drops the table; forward again, get_or_create.
    operations = [migrations.RunPython(create_mission_types, migrations.RunPython.noop)]
