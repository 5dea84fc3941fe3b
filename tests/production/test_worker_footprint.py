"""What an app server's worker keeps in memory: the data that only a build script or a save needs
stays out of it (each worker of each server would otherwise hold its own copy for good)."""

import os
import subprocess
import sys

from django.conf import settings

# Each of these costs a worker tens of megabytes once imported: Babel's CLDR data (over 100 MB for
# the hundred locales of the country names), pycountry's ISO tables and pypinyin's phrases (57 MB).
HEAVY = ("babel", "pycountry", "pypinyin")

WORKER = """
import sys
from lunarportal.wsgi import application  # as gunicorn loads the site
from django.urls import get_resolver
from partners.countries import country_codes_for

get_resolver().url_patterns  # every view and what it imports
assert country_codes_for("Pakistán") == {"PK"}  # what a search asks
print(" ".join(sorted({name.split(".")[0] for name in sys.modules} & set(sys.argv[1:]))))
"""


def test_a_worker_that_has_loaded_the_site_and_looked_a_country_up_holds_no_heavy_data():
    env = {
        "PATH": os.environ["PATH"],
        "DJANGO_SETTINGS_MODULE": "lunarportal.settings",
        "DJANGO_ENV_FILE": "/nonexistent",
        "DJANGO_DEBUG": "1",
    }
    loaded = subprocess.run(
        [sys.executable, "-c", WORKER, *HEAVY],
        env=env,
        cwd=settings.BASE_DIR,
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    ).stdout.strip()
    assert loaded == "", f"a worker imported {loaded}"
