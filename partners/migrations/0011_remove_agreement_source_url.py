# The address an agreement had is one of its sources now (0010). Undone, each agreement gets
# back its first source's address.

from django.db import migrations
from django.db.models import OuterRef, Subquery, Value
from django.db.models.functions import Coalesce


def first_source_addresses(apps, schema_editor):
    Agreement = apps.get_model("partners", "Agreement")
    AgreementSource = apps.get_model("partners", "AgreementSource")
    first = AgreementSource.objects.filter(agreement=OuterRef("pk")).order_by("pk").values("url")[:1]
    Agreement.objects.update(source_url=Coalesce(Subquery(first), Value("")))


class Migration(migrations.Migration):

    dependencies = [
        ("partners", "0010_agreement_sources"),
    ]

    operations = [
        migrations.RunPython(migrations.RunPython.noop, first_source_addresses),
        migrations.RemoveField(model_name="agreement", name="source_url"),
    ]
