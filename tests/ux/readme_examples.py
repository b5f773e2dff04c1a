"""The README's example queries, and the tool that writes their output on the seeds into the README.

    .venv/bin/python -m tests.ux.readme_examples WAREHOUSE [--write]

prints (or, with --write, puts between the README's EXAMPLES markers) each query with
its output, as `make query` prints it. tests/ux/test_readme.py runs the same queries on
the seed warehouse, so the README's SQL stays valid as the marts evolve.
"""
from __future__ import annotations

import re
import sys
from pathlib import Path

README = Path(__file__).resolve().parents[2] / "README.md"
START, END = "<!-- EXAMPLES:start -->", "<!-- EXAMPLES:end -->"

EXAMPLES: list[tuple[str, str, bool]] = [
    ("The most active investors, and how often they led", """
select investor, investor_type, rounds_count, lead_count, companies_count,
       round(total_rounds_eur / 1e6) as rounds_meur
from marts.investors
order by rounds_count desc, lead_count desc, total_rounds_eur desc
limit 10""", False),
    ("Money raised by city", """
select city, country, companies_count, rounds_count,
       round(total_raised_eur / 1e6) as raised_meur, largest_round_company
from marts.ecosystem_by_city
order by total_raised_eur desc""", False),
    ("A company's rounds, with the articles that report them", """
select r.announced_on, r.round_type, r.amount, r.currency, r.lead_investor,
       coalesce(a.url, a.path) as source, s.quote
from marts.rounds r
join marts.round_sources s using (round_id)
join raw.articles a using (article_id)
where r.company = 'Hugging Face'
order by r.announced_on, source""", False),
    ("Open quality issues (`WIDE=1` prints whole messages)", """
select severity, check_name, message
from marts.quality_issues
order by severity, check_name""", True),
]


def render(warehouse: Path) -> str:
    from orchestration import query

    blocks = []
    for title, sql, wide in EXAMPLES:
        saved = query.MAX_CELL
        query.MAX_CELL = 10_000 if wide else saved
        try:
            table = query.format_table(*query.fetch(sql.strip(), warehouse))
        finally:
            query.MAX_CELL = saved
        blocks.append(f"**{title}**\n\n```sql\n{sql.strip()};\n```\n\n```text\n{table}\n```\n")
    return "\n".join(blocks)


def write(warehouse: Path, readme: Path = README) -> None:
    text = readme.read_text(encoding="utf-8")
    pattern = re.compile(re.escape(START) + ".*?" + re.escape(END), re.S)
    if not pattern.search(text):
        raise SystemExit(f"no {START} … {END} markers in {readme}")
    body = f"{START}\n{render(warehouse)}{END}"
    readme.write_text(pattern.sub(lambda _: body, text), encoding="utf-8")


if __name__ == "__main__":
    target = Path(sys.argv[1])
    if "--write" in sys.argv:
        write(target)
    else:
        print(render(target))
