"""The committed translation catalogue (django.mo) is what its source (django.po) compiles to:
a string translated in the .po but missing from a stale .mo would show in English."""

import gettext
from pathlib import Path

from babel.messages.mofile import write_mo
from babel.messages.pofile import read_po

LOCALE = Path(__file__).resolve().parents[2] / "locale"


def messages(mo_file: Path) -> dict:
    """Every translation a compiled catalogue holds, as gettext reads it (the header aside: its
    dates and tool name are not translations)."""
    with mo_file.open("rb") as compiled:
        catalogue = dict(gettext.GNUTranslations(compiled)._catalog)
    catalogue.pop("", None)
    return catalogue


def test_every_committed_mo_holds_what_its_po_compiles_to(tmp_path):
    po_files = sorted(LOCALE.glob("*/LC_MESSAGES/*.po"))
    assert po_files, "no translation catalogue found"
    for po_file in po_files:
        with po_file.open("rb") as source:
            catalogue = read_po(source)
        fresh = tmp_path / f"{po_file.parent.parent.name}-{po_file.stem}.mo"
        with fresh.open("wb") as compiled:
            write_mo(compiled, catalogue)  # as msgfmt and compilemessages do: fuzzy entries left out
        committed = po_file.with_suffix(".mo")
        assert committed.exists(), f"{committed.relative_to(LOCALE.parent)} is missing: run compilemessages"
        expected, found = messages(fresh), messages(committed)
        differing = sorted(
            str(msgid) for msgid in expected.keys() | found.keys() if expected.get(msgid) != found.get(msgid)
        )
        assert not differing, (
            f"{committed.relative_to(LOCALE.parent)} is stale; run `manage.py compilemessages` and commit it. "
            f"{len(differing)} message(s) differ, first: {differing[:3]}"
        )
