"""Long commands interrupted with Ctrl-C (SIGINT) midway leave nothing half-written: a real
manage.py process, a real signal, then the database as a visitor's search sees it."""

import signal
import subprocess
import sys

from tests.datasafety.scratch import PROJECT, scratch_site

ROWS = 10_000  # enough that the rebuild is still writing when the signal comes

SEED = f"""
from partners.models import Partner
from search import index
Partner.objects.bulk_create(
    Partner(slug=f"p-{{n}}", name=f"Oldname partner {{n}}", kind="organisation", region="international",
            summary="x", editorial_state="published")
    for n in range({ROWS})
)
index.rebuild()
Partner.objects.update(name="Newname partner")  # around save(): for the next rebuild to index
"""

COUNT = """
from partners.models import Partner
print(Partner.objects.published().search("oldname").count(), Partner.objects.published().search("newname").count())
"""


def test_an_interrupted_rebuild_leaves_the_index_as_it_was(tmp_path):
    with scratch_site(tmp_path, "interrupted") as site:
        *_, counted = site.manage_in_turn(("migrate", "--no-input", "-v", "0"), SEED, COUNT)
        assert counted.split() == [str(ROWS), "0"]
        rebuild = subprocess.Popen(
            [sys.executable, "manage.py", "rebuild_search_index"],
            cwd=PROJECT,
            env=site.environment(),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            # Ctrl-C as in a terminal, also when the suite itself was started with SIGINT ignored
            # (in the background of a script): a child would inherit that and never see the signal.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        first = rebuild.stdout.readline()  # a progress line: the rebuild is under way
        assert "%] partners.Partner" in first and "s left" in first, first
        rebuild.send_signal(signal.SIGINT)
        out, err = rebuild.communicate(timeout=120)

        assert rebuild.returncode == 130, first + out + err
        assert err.strip() == "CommandError: Interrupted: the search index is as it was before the rebuild."
        assert "Search index rebuilt" not in out
        assert site.shell(COUNT).split() == [str(ROWS), "0"]  # the old index, whole

        site.manage("rebuild_search_index")
        assert site.shell(COUNT).split() == ["0", str(ROWS)]  # the new one, whole
