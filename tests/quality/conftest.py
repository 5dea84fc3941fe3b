import shutil

import pytest

from .tools import CHROMIUM, VNU_JAR, require


@pytest.fixture(scope="session")
def vnu_command() -> list[str]:
    java = shutil.which("java")
    require(java is not None, "Java (apt-get install default-jre-headless)")
    require(VNU_JAR.is_file(), "The Nu HTML Checker (node_modules/vnu-jar, npm ci)")
    return [java, "-jar", str(VNU_JAR)]


@pytest.fixture(scope="session")
def chromium():
    require(CHROMIUM.is_file(), "Chromium (apt-get install chromium)")
    return CHROMIUM
