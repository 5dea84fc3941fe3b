"""Content for the backup tests beyond the demo content, written the ways the site writes it:
editors' saves through the admin (history rows with their author, admin log entries), drafts of
every kind, images with their files in MEDIA_ROOT, Chinese translations, HTML in text fields,
many-to-many links, and a deleted account (a gap in the user ids).

Run in a scratch database, in a process of its own:
`manage.py shell -c "from tests.datasafety.seed import seed; seed()"`.
"""

import datetime
import io

from django.contrib.auth.models import Group, User
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.test.utils import setup_test_environment
from django.utils import timezone, translation
from PIL import Image

from missions.models import LaunchVehicle, Mission, MissionImage
from partners.models import Partner
from tests.admin_forms import form_data
from tests.factories import (
    DRAFT,
    make_agreement,
    make_milestone,
    make_mission,
    make_partner,
    make_payload,
    make_project,
)

# Kept in a text field as written: loaddata bypasses save(), so pages must escape it at render.
MARKUP = '<script>alert("backup")</script> & <b>bold</b>'


def png(size=(1600, 900), colour=(40, 60, 90)) -> bytes:
    buffer = io.BytesIO()
    Image.new("RGB", size, colour).save(buffer, "PNG")
    return buffer.getvalue()


def _user(name: str, group: str) -> User:
    user = User.objects.create_user(name, password="a-long-backup-password", is_staff=True)
    user.groups.add(Group.objects.get(name=group))
    return user


def _edit_in_admin(client: Client, obj, **changes):
    """Save `obj` through its admin change form, as an editor's browser would."""
    url = f"/admin/{obj._meta.app_label}/{obj._meta.model_name}/{obj.pk}/change/"
    response = client.post(url, form_data(client.get(url), **changes))
    assert response.status_code == 302, f"admin save of {obj} refused: {response.status_code}"


def seed():
    setup_test_environment()  # the admin form helper reads the response's context
    with translation.override("en"):
        _seed()


def _seed():
    User.objects.create_user("left-the-team").delete()  # user ids now have a gap
    _user("editor-eddie", "Editors")
    publisher = _user("publisher-pat", "Publishers")
    client = Client()
    client.force_login(publisher)

    # Published content written through the admin: a history with its author, in both languages.
    chang_e_4 = Mission.objects.get(slug="chang-e-4")
    _edit_in_admin(
        client,
        chang_e_4,
        summary_en="The first soft landing on the far side of the Moon, in Von Kármán crater.",
        summary_zh_hans="人类首次在月球背面软着陆，着陆于冯·卡门撞击坑。",
        body_zh_hans="<p>嫦娥四号于2019年1月3日着陆。</p><h2>巡视器</h2><ul><li>玉兔二号</li></ul>",
    )
    rocket = LaunchVehicle.objects.create(name_en="Long March 3B (CZ-3B) Y30", name_zh_hans="长征三号乙遥三十运载火箭")
    _edit_in_admin(client, chang_e_4, launch_vehicle=rocket.pk)
    # A relay without a landing site, drawn by its orbit.
    _edit_in_admin(client, Mission.objects.get(slug="queqiao"), orbit=Mission.Orbit.EARTH_MOON_L2)
    pakistan = Partner.objects.get(slug="pakistan")
    _edit_in_admin(client, pakistan, summary_zh_hans="巴基斯坦与中国合作研制了立方星。", body_en=f"<p>{MARKUP}</p>")

    # Rows written in code: markup, NULLs, many-to-many links, Chinese text, images.
    partner = make_partner(
        name=f"Backup Agency {MARKUP}", name_zh="备份航天局", slug="backup-agency", acronym="BKA", summary=MARKUP
    )
    mission = make_mission(
        name="Backup Probe",
        name_zh="备份探测器",
        slug="backup-probe",
        types=("orbiter", "lander"),
        side="far",
        latitude="-45.50000",
        longitude="177.60000",
        landing_site="South Pole–Aitken basin",
        summary="A probe that exists to be backed up.",
        summary_zh_hans="一个为备份而存在的探测器。",
        launch_date=None,
        status=Mission.Status.PLANNED,
    )
    mission.related_missions.add(chang_e_4)
    make_milestone(mission, date=datetime.date(2030, 6, 1), title="Launch", title_zh_hans="发射")
    make_payload(mission=mission, name="Backup Spectrometer", acronym="BKS", providers=[partner, pakistan])
    make_agreement(title="Backup cooperation agreement", parties=[partner, pakistan])
    make_project(name="Backup Satellite", partners=[partner])
    alt_texts = [("Far side at dawn", "黎明时的月球背面"), ("Lander model", "着陆器模型")]
    for position, (alt_en, alt_zh) in enumerate(alt_texts):
        MissionImage.objects.create(
            mission=mission,
            image=_upload(png(colour=(40 + 50 * position, 60, 90))),
            alt_text_en=alt_en,
            alt_text_zh_hans=alt_zh,
            caption_en=f"Image {position + 1}",
            credit="CNSA/CLEP",
            position=position,
        )

    # Drafts of every kind, and a publication scheduled for later: none may appear after a restore.
    draft_partner = make_partner(name="Zqdraft Republic", slug="zqdraft-republic", country="IS", state=DRAFT)
    draft_mission = make_mission(name="Zqdraft Mission", slug="zqdraft-mission", state=DRAFT)
    MissionImage.objects.create(mission=draft_mission, image=_upload(png((300, 200))), alt_text_en="Zqdraft image")
    make_payload(mission=mission, name="Zqdraft payload", providers=[draft_partner], state=DRAFT)
    make_agreement(title="Zqdraft agreement", parties=[pakistan], state=DRAFT)
    make_project(name="Zqdraft project", partners=[pakistan], state=DRAFT)
    next_year = timezone.now() + datetime.timedelta(days=365)
    make_mission(name="Zqdraft Scheduled", slug="zqdraft-scheduled", publish_at=next_year)


def _upload(content: bytes):
    return SimpleUploadedFile("upload.png", content, content_type="image/png")


def add_after_restore():
    """New rows in a restored database: ids free, the search index still kept by its triggers,
    history still recorded. Prints a line the test looks for."""
    setup_test_environment()
    with translation.override("en"):
        partner = make_partner(name="Aftermath Agency", slug="aftermath-agency", country="NZ")
        mission = make_mission(name="Aftermath Probe", slug="aftermath-probe")
        MissionImage.objects.create(mission=mission, image=_upload(png((400, 300))), alt_text_en="After")
        client = Client()
        client.force_login(User.objects.get(username="publisher-pat"))
        _edit_in_admin(client, mission, summary_en="Saved in the restored database.")
        page = client.get("/en/search/?q=aftermath").content.decode()
        assert "Aftermath Agency" in page and "Aftermath Probe" in page, "search misses rows added after the restore"
        print(f"added after restore: partner {partner.pk}, mission {mission.pk}")
