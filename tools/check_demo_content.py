"""Check the demo content file: Chinese twins, sources, launch vehicles and sites.

    python tools/check_demo_content.py [content.json] [--stats]

Exits 1 and names each record at fault when
- a public text has no Chinese twin (`summary` without `summary_zh`, a milestone title without
  `title_zh`, ...), or its Chinese paragraphs do not match the English ones;
- a Chinese text uses ASCII punctuation where Chinese takes full-width (，；：（）);
- a record (mission, payload, partner, agreement, project, figure) has no source with both a
  publisher and an "as of" date;
- a source has no `language`, or an "as of" that is not an ISO date;
- a mission's launch vehicle or launch site has no entry in `launch_vehicles` / `launch_sites`;
- a planned mission has no `facts_as_of`, a launched one has one, or an operating one has no
  `status_as_of` (the date it was last reported working).
`--stats` prints how many texts have Chinese and how many records have a dated, attributed source.
Standard library only, so it runs before the project's requirements are installed.
"""

import datetime
import json
import re
import sys
from pathlib import Path

DEFAULT_PATH = Path(__file__).resolve().parents[1] / "website" / "demo" / "content.json"

# The public texts of each list: each English field `x` needs a Chinese `x_zh` when it is not empty.
PUBLIC_TEXTS = {
    "missions": ("name", "summary", "body", "landing_site", "launch_window", "catalogue_confidence", "catalogue_note"),
    "payloads": ("name", "purpose", "institution"),
    "partners": ("name", "summary", "body"),
    "agreements": ("title", "summary"),
    "projects": ("name", "summary"),
    "figures": ("value", "label", "note"),
    "launch_vehicles": ("name",),
    "launch_sites": ("name",),
}
MILESTONE_TEXTS = ("title", "description")
# Records a visitor sees, each of which must cite at least one attributed, dated source.
SOURCED = ("missions", "payloads", "partners", "agreements", "projects", "figures")

CJK = re.compile(r"[\u3400-\u9fff]")
# ASCII punctuation touching a Chinese character: Chinese text takes the full-width forms.
ASCII_PUNCTUATION = re.compile(r"[\u3400-\u9fff][,;:()]|[,;:(][\u3400-\u9fff]")
LANGUAGE_TAG = re.compile(r"^[a-z]{2,3}(-[A-Z][a-z]{3})?(-[A-Z]{2})?$")


def record_name(section: str, index: int, record: dict) -> str:
    key = record.get("slug") or record.get("key") or record.get("name") or record.get("title")
    return f"{section}[{index}] {key}"


def is_iso_date(value) -> bool:
    if not isinstance(value, str):
        return False
    try:
        datetime.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def paragraphs(text: str) -> int:
    return len([part for part in re.split(r"\n\s*\n", text) if part.strip()])


def text_problems(where: str, record: dict, fields) -> tuple[int, int, list[str]]:
    """(texts, texts with Chinese, problems) for the named English fields of one record."""
    total = translated = 0
    problems = []
    for field in fields:
        english = record.get(field)
        if not isinstance(english, str) or not english.strip():
            continue
        total += 1
        chinese = record.get(f"{field}_zh")
        if not isinstance(chinese, str) or not CJK.search(chinese):
            problems.append(f"{where}: `{field}` has no Chinese `{field}_zh`")
            continue
        translated += 1
        if paragraphs(english) != paragraphs(chinese):
            problems.append(
                f"{where}: `{field}_zh` has {paragraphs(chinese)} paragraphs, `{field}` {paragraphs(english)}"
            )
        if match := ASCII_PUNCTUATION.search(chinese):
            problems.append(f"{where}: `{field}_zh` uses ASCII punctuation in Chinese text: {match.group()!r}")
    return total, translated, problems


def source_problems(where: str, sources, *, url_required: bool = True) -> list[str]:
    problems = []
    for position, source in enumerate(sources or []):
        label = f"{where} source {position + 1} ({source.get('url') or source.get('title')})"
        if url_required and not source.get("url"):
            problems.append(f"{label}: no url")
        if not source.get("language") or not LANGUAGE_TAG.match(source["language"]):
            problems.append(f"{label}: no `language` (a tag such as en, zh-Hans, pt)")
        if source.get("as_of") is not None and not is_iso_date(source["as_of"]):
            problems.append(f"{label}: `as_of` {source['as_of']!r} is not an ISO date")
    return problems


def has_attributed_dated_source(record: dict) -> bool:
    return any(source.get("publisher") and is_iso_date(source.get("as_of")) for source in record.get("sources") or [])


def check(content: dict) -> tuple[dict, list[str]]:
    problems = []
    stats = {"texts": 0, "texts_zh": 0, "records": 0, "records_sourced": 0, "by_section": {}}

    def count(section, total, translated):
        entry = stats["by_section"].setdefault(section, [0, 0])
        entry[0] += total
        entry[1] += translated
        stats["texts"] += total
        stats["texts_zh"] += translated

    for section, fields in PUBLIC_TEXTS.items():
        for index, record in enumerate(content.get(section) or []):
            where = record_name(section, index, record)
            total, translated, found = text_problems(where, record, fields)
            count(section, total, translated)
            problems += found
            for number, milestone in enumerate(record.get("milestones") or []):
                total, translated, found = text_problems(f"{where} milestone {number + 1}", milestone, MILESTONE_TEXTS)
                count("milestones", total, translated)
                problems += found

    for section in SOURCED:
        for index, record in enumerate(content.get(section) or []):
            where = record_name(section, index, record)
            stats["records"] += 1
            if has_attributed_dated_source(record):
                stats["records_sourced"] += 1
            else:
                problems.append(f"{where}: no source with both a publisher and an ISO `as_of` date")
            # A figure may cite a text that has no web address (the seed article).
            problems += source_problems(where, record.get("sources"), url_required=section != "figures")
            problems += source_problems(f"{where} catalogue", record.get("catalogue_sources"))

    for field, section in (("launch_vehicle", "launch_vehicles"), ("launch_site", "launch_sites")):
        listed = {entry.get("name") for entry in content.get(section) or []}
        for index, mission in enumerate(content.get("missions") or []):
            value = mission.get(field)
            if value and value not in listed:
                problems.append(f"{record_name('missions', index, mission)}: {field} {value!r} is not in `{section}`")

    for index, mission in enumerate(content.get("missions") or []):
        where = record_name("missions", index, mission)
        if mission.get("facts_as_of") is not None and not is_iso_date(mission["facts_as_of"]):
            problems.append(f"{where}: `facts_as_of` {mission['facts_as_of']!r} is not an ISO date")
        if mission.get("status") == "planned" and not is_iso_date(mission.get("facts_as_of")):
            problems.append(f"{where}: a planned mission needs `facts_as_of`")
        # The site shows facts_as_of as "planned dates and details as of": only for missions not yet flown.
        if mission.get("launch_date") and mission.get("facts_as_of"):
            problems.append(f"{where}: a launched mission has `facts_as_of`; date its status with `status_as_of`")
        if mission.get("status") == "operating" and not is_iso_date(mission.get("status_as_of")):
            problems.append(
                f"{where}: an operating mission needs `status_as_of`, the date it was last reported working"
            )
    return stats, problems


def main(argv: list[str]) -> int:
    arguments = [argument for argument in argv if not argument.startswith("--")]
    path = Path(arguments[0]) if arguments else DEFAULT_PATH
    content = json.loads(path.read_text(encoding="utf-8"))
    stats, problems = check(content)
    if "--stats" in argv:
        print(f"texts with Chinese: {stats['texts_zh']} / {stats['texts']}")
        for section, (total, translated) in stats["by_section"].items():
            print(f"  {section}: {translated} / {total}")
        print(f"records with an attributed, dated source: {stats['records_sourced']} / {stats['records']}")
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"{len(problems)} problems in {path}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
