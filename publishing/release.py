"""Which release of the code is running: a name for the code, templates, translations and static
files that render the portal's pages.

Fragments shared through Redis (publishing.caching.remember) carry it in their keys: HTML rendered
by the previous release's templates, or naming its content-hashed static files, is never served by
the next one. The content version is not tied to it, so that during a rolling deploy old and new
app servers still forget their pages at every change either makes.
"""

import hashlib
from functools import cache
from pathlib import Path

from django.conf import settings
from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils.autoreload import file_changed

# What a page's HTML is made of, besides the content: the project's code and what it renders with.
# Static files count through the manifest collectstatic writes (their content-hashed names, which
# pages link), not byte by byte: a fifth of the time.
SOURCE_DIRS = ("lunarportal", "publishing", "search", "missions", "partners", "api", "website", "templates", "locale")


@cache
def current() -> str:
    """DJANGO_RELEASE when the deploy names its release (a commit, a tag); otherwise a digest of
    the project's source files, computed once per process."""
    manifest = Path(settings.STATIC_ROOT) / "staticfiles.json"
    return settings.RELEASE or source_digest(Path(settings.BASE_DIR), extra=(manifest,))


@receiver(setting_changed)
@receiver(file_changed)  # the development server keeps running when a template changes
def _forget_release(setting=None, **kwargs):
    if setting in (None, "RELEASE", "BASE_DIR", "STATIC_ROOT"):  # None: a file changed
        current.cache_clear()


def source_digest(root: Path, extra: tuple[Path, ...] = ()) -> str:
    """A digest of the names and bytes of every file under SOURCE_DIRS of `root`, and of the
    `extra` files that exist: any change to the code, a template or a translation changes it."""
    files = [path for directory in SOURCE_DIRS for path in sorted((root / directory).rglob("*"))]
    digest = hashlib.sha256()
    for path in [*files, *extra]:
        if path.is_file() and "__pycache__" not in path.parts:
            # Named relative to the project: two app servers installed in different places agree.
            name = path.relative_to(root) if path.is_relative_to(root) else path.name
            digest.update(str(name).encode() + b"\0")
            digest.update(path.read_bytes())
    return digest.hexdigest()[:16]
