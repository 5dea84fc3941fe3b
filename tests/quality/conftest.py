"""Page-quality tools from Debian (Chromium, Java) and npm (vnu-jar, Lighthouse): a test that needs
one skips locally when it is missing, with what to install; in CI (CI set) it fails instead."""

import os
import shutil
from pathlib import Path

import pytest
from django.conf import settings

NODE_MODULES = Path(settings.BASE_DIR) / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
CHROMIUM = Path("/usr/bin/chromium")


def require(present: bool, what: str) -> None:
    if present:
        return
    message = f"{what} is missing ({'make test installs it' if os.environ.get('CI') else 'run make test once'})."
    if os.environ.get("CI"):
        pytest.fail(message, pytrace=False)
    pytest.skip(message)


@pytest.fixture
def vnu_command() -> list[str]:
    java = shutil.which("java")
    require(java is not None, "Java (apt-get install default-jre-headless)")
    require(VNU_JAR.is_file(), f"The Nu HTML Checker ({VNU_JAR.relative_to(settings.BASE_DIR)}, npm ci)")
    return [java, "-jar", str(VNU_JAR)]


@pytest.fixture
def chromium() -> Path:
    require(CHROMIUM.is_file(), "Chromium (apt-get install chromium)")
    return CHROMIUM
