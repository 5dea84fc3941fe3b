# The address an agreement had is one of its sources now (0010). Undone, each agreement gets
# back its first source's address.

from django.db import migrations


def first_source_addresses(apps, schema_editor):
    Agreement = apps.get_model("partners", "Agreement")
    for agreement in Agreement.objects.all():
        first = agreement.sources.order_by("pk").first()
        if first:
            Agreement.objects.filter(pk=agreement.pk).update(source_url=first.url)


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0010_agreement_sources"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, first_source_addresses),
        migrations.RemoveField(model_name="agreement", name="source_url"),
    ]
