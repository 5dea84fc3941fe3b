"""Static files as production serves them: content-hashed names (cached for a year by browsers,
safe because a changed file gets a new name) and gzip/Brotli copies, through WhiteNoise."""

from whitenoise.storage import CompressedManifestStaticFilesStorage


class StaticFilesStorage(CompressedManifestStaticFilesStorage):
    # Before collectstatic has run (the test suite, a first `manage.py check`) there is no
    # manifest: templates then link the plain file names instead of failing.
    manifest_strict = False

    def stored_name(self, name):
        # A file added since collectstatic last ran: its plain name (a missing stylesheet is a
        # 404 the page survives; an exception here would be a 500 for the whole page).
        try:
            return super().stored_name(name)
        except ValueError:
            return name
