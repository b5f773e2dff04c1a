"""The README's example queries: the SQL it shows is the SQL tested, and it runs on the seeds."""
from __future__ import annotations

import re

import pytest

from tests.ux.readme_examples import END, EXAMPLES, README, START


def test_readme_shows_the_tested_queries():
    text = README.read_text(encoding="utf-8")
    section = text[text.index(START):text.index(END)]
    shown = re.findall(r"```sql\n(.*?);\n```", section, re.S)
    assert shown == [sql.strip() for _, sql, _ in EXAMPLES]


def test_readme_images_exist():
    text = README.read_text(encoding="utf-8")
    for image in re.findall(r"!\[[^\]]*\]\(([^)]+)\)", text):
        assert (README.parent / image).is_file(), image


@pytest.mark.e2e
@pytest.mark.parametrize("title, sql", [(t, s) for t, s, _ in EXAMPLES], ids=[t for t, _, _ in EXAMPLES])
def test_example_query_runs_on_the_seeds(seed_warehouse, title, sql):
    from orchestration.query import fetch

    columns, rows = fetch(sql.strip(), seed_warehouse)
    assert columns and rows, f"{title}: no rows on the seeds"
