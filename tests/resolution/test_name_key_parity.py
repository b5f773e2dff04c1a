"""The dbt macro name_key and aliases.name_key must compute the same key,
or dbt could not join the names it reads to raw.entity_aliases."""
from __future__ import annotations

from pathlib import Path

import duckdb
import jinja2
import pytest

from orchestration.resolution.aliases import DESCRIPTORS, LEGAL_FORMS, name_key

MACROS = Path(__file__).resolve().parents[2] / "dbt_project" / "macros" / "name_key.sql"

NAMES = [
    "Hugging Face", "HuggingFace", "Hugging Face SAS", "  HUGGING   face ", "Société Générale S.A.",
    "Mistral AI, Inc.", "Aleph Alpha GmbH", "DeepMind Ltd", "le groupe Nvidia", "le fonds Addition",
    "Thibault Elzière", "Salesforce & Sound Ventures", "Rodolphe Saadé", "SA", "L’Oréal", "Y Combinator",
    "Crédit Agricole Corporate & Investment Bank", "Banque publique d'investissement (Bpifrance)",
    "Čeština s.r.o.", "Ångström Labs AB", "Zoë & Chloé", "Coatue Management, L.L.C.", "The Family",
    "Les Echos", "Groupe", "Fonds", "21st Century Fox", "a16z", "Kima-Ventures", "Straße GmbH", "Œuvre",
]


def sql_name_key() -> str:
    env = jinja2.Environment()
    return env.from_string(MACROS.read_text(encoding="utf-8") + "{{ name_key('name') }}").render().strip()


def test_word_lists_in_sync():
    text = MACROS.read_text(encoding="utf-8")
    for word in (*DESCRIPTORS, *LEGAL_FORMS):
        assert f"'{word}'" in text, word


@pytest.mark.parametrize("name", NAMES)
def test_sql_and_python_agree(name):
    con = duckdb.connect()
    sql_key = con.execute(f"select {sql_name_key()} from (select ? as name)", [name]).fetchone()[0]
    assert (sql_key or "") == name_key(name)
