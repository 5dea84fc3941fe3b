# An agreement cites its sources as every other record does (title, publisher, as of), instead
# of one address. Each address an agreement had becomes its first source, titled by its site;
# editors add the publisher and the date (the admin lists such sources as needing review).

from urllib.parse import urlsplit

import django.db.models.deletion
import publishing.models
from django.contrib.auth.management import create_permissions
from django.db import migrations, models


def addresses_to_sources(apps, schema_editor):
    Agreement = apps.get_model("partners", "Agreement")
    AgreementSource = apps.get_model("partners", "AgreementSource")
    AgreementSource.objects.bulk_create(
        AgreementSource(agreement=agreement, url=agreement.source_url, title=urlsplit(agreement.source_url).netloc)
        for agreement in Agreement.objects.exclude(source_url="")
    )


def grant_roles(apps, schema_editor):
    """Sources are content like any other: editors and publishers write them."""
    app_config = apps.get_app_config("partners")
    app_config.models_module = True
    create_permissions(app_config, apps=apps, verbosity=0)
    app_config.models_module = None
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    permissions = Permission.objects.filter(content_type__app_label="partners", content_type__model="agreementsource")
    for group in Group.objects.filter(name__in=["Editors", "Publishers"]):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):

    dependencies = [
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("partners", "0009_figure_sources_without_address"),
    ]

    operations = [
        migrations.CreateModel(
            name="AgreementSource",
            fields=[
                ("id", models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name="ID")),
                ("url", publishing.models.WebURLField(max_length=500, verbose_name="URL")),
                ("title", models.CharField(help_text="What the page is, in a few words.", max_length=300, verbose_name="title")),
                ("publisher", models.CharField(blank=True, help_text="The original publisher (Xinhua, CNSA, ESA, …), also when the link is a copy.", max_length=200, verbose_name="publisher")),
                ("as_of", models.DateField(blank=True, help_text="For facts that can change (counts, planned dates): when the source stated them.", null=True, verbose_name="as of")),
                ("agreement", models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name="sources", to="partners.agreement")),
            ],
            options={
                "verbose_name": "source",
                "ordering": ["pk"],
                "abstract": False,
            },
        ),
        migrations.RunPython(addresses_to_sources, migrations.RunPython.noop),
        migrations.RunPython(grant_roles, migrations.RunPython.noop),
    ]
