"""Draw the picture of every published landing site that has none yet (missions.site_pictures).

Idempotent: a picture's file name comes from its coordinates, so a second run draws nothing and
a moved site gets a new picture. `make run` calls it; a page asking for a picture that is not
there yet has it drawn then, so skipping this only makes those first requests slower.
"""

from django.core.management.base import BaseCommand

from missions.models import Mission
from missions.site_pictures import BadCoordinates, SitePicture, check_coordinates


class Command(BaseCommand):
    help = "Draw the landing-site picture of every published mission that has coordinates (idempotent)."

    def handle(self, *args, **options):
        made = kept = refused = 0
        for mission in Mission.objects.with_landing_sites():
            try:
                check_coordinates(mission.latitude, mission.longitude)
            except BadCoordinates as error:
                refused += 1
                self.stderr.write(
                    f"{mission.name} ({mission.slug}): {error} No picture was drawn; correct the coordinates "
                    "in the admin and run this again."
                )
                continue
            if SitePicture.of(mission).make():
                made += 1
            else:
                kept += 1
        summary = f"Landing-site pictures: {made} drawn, {kept} already there"
        if refused:
            summary += f", {refused} refused (see above)"
        self.stdout.write(self.style.SUCCESS(summary + "."))
