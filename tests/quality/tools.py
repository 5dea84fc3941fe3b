"""Page-quality tools from Debian (Chromium, Java) and npm (vnu-jar, Lighthouse): a test that needs
one skips locally when it is missing, saying what to install; in CI (CI set) it fails instead."""

import os
from pathlib import Path

import pytest
from django.conf import settings

VNU_JAR = Path(settings.BASE_DIR) / "node_modules" / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path("/usr/bin/chromium")


def require(present: bool, what: str) -> None:
    if present:
        return
    if os.environ.get("CI"):
        pytest.fail(f"{what} is missing: .ci/install-browser and npm ci (make test) install it.", pytrace=False)
    pytest.skip(f"{what} is missing: make test installs it.")
