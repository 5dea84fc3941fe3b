"""Every test runs in at least one pass: CI's last check on the tests themselves.

    .venv/bin/python tools/check_passes.py OUTCOMES.json [OUTCOMES.json ...]

Each file is what one pass recorded (LUNARPORTAL_TEST_OUTCOMES, tests/passes.py): `make test` on
SQLite, then the `database` tests on PostgreSQL with Redis. The suite is collected again here, and
any collected test that ran in no pass (skipped in each, or selected by none) is a failure: a test
that only runs on PostgreSQL or Redis and is not marked `database` would otherwise stop running
without a word. Prints how many tests ran in each pass.
"""

import json
import subprocess
import sys
from collections import Counter
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
RAN = {"passed", "failed", "error", "xfailed"}


def collected() -> list[str]:
    result = subprocess.run(
        [sys.executable, "-m", "pytest", "--collect-only", "-q", "-p", "no:cacheprovider"],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    if result.returncode:
        sys.exit(f"Collecting the tests failed:\n{result.stdout[-3000:]}{result.stderr[-3000:]}")
    return [line for line in result.stdout.splitlines() if line.startswith("tests/") and "::" in line]


def main(paths: list[str]) -> int:
    if not paths:
        print(__doc__)
        return 2
    passes = {path: json.loads(Path(path).read_text()) for path in paths}
    tests = collected()
    for path, outcomes in passes.items():
        counts = Counter(outcomes.values())
        print(f"{path}: {sum(counts[o] for o in RAN)} ran, {counts['skipped']} skipped, of {len(outcomes)} selected")
    nowhere = [test for test in tests if not any(outcomes.get(test) in RAN for outcomes in passes.values())]
    if nowhere:
        print(f"\n{len(nowhere)} of {len(tests)} collected tests ran in no pass:")
        for test in nowhere:
            seen = ", ".join(f"{Path(path).stem}: {found.get(test, 'not selected')}" for path, found in passes.items())
            print(f"  {test} ({seen})")
        print(
            "\nA test that only runs on PostgreSQL or Redis belongs to the PostgreSQL pass: list its folder or"
            " module in tests/passes.py (DATABASE_TESTS), or mark it @pytest.mark.database."
        )
        return 1
    print(f"Every one of the {len(tests)} collected tests ran in at least one pass.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
