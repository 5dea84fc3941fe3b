"""The test suite's settings: the local site's, as `.env.example` gives them (debug off, plain http
on loopback, so with DJANGO_ALLOW_INSECURE=1), whatever a developer's `.env` says or whether there
is one (`make install-dev` writes none). Real environment variables still win: `make test-postgres`
brings its DATABASE_URL and CACHE_URL. The servers and commands the tests start inherit these
variables."""

import os
import secrets
from pathlib import Path

os.environ.setdefault("DJANGO_ENV_FILE", str(Path(__file__).resolve().parent.parent / ".env.example"))
# One key for the run: set before pytest-xdist starts its workers, which inherit it.
os.environ.setdefault("DJANGO_SECRET_KEY", secrets.token_urlsafe(50))
# In-process tests serve static files through the finders, never from a collected folder: the
# staticfiles/ that `make run` or `make serve` leaves behind holds thousands of files, which
# WhiteNoise would list again for every test client (the suite took half as long again). The
# tests that start a server collect into a folder of their own (DJANGO_STATIC_ROOT).
os.environ.setdefault("DJANGO_STATIC_ROOT", str(Path(__file__).resolve().parent / "no-collected-static-files"))

from lunarportal.settings import *  # noqa: E402, F403
