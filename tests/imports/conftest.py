import tempfile

import pytest


@pytest.fixture(autouse=True)
def import_temp_folder(monkeypatch, tmp_path):
    """The admin keeps each previewed file in the temporary folder until it is confirmed: here
    a test's own folder, so that previews that are never confirmed leave nothing behind."""
    folder = tmp_path / "imports"
    folder.mkdir()
    monkeypatch.setattr(tempfile, "tempdir", str(folder))
    return folder
