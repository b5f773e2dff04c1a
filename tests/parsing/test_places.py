"""Where the company is based."""
import pytest

from orchestration.parsing import extract
from tests.parsing.util import articles


def places(text):
    return {(r["company"], r["city"], r["country"]) for r in extract(articles(text)).company_facts.to_dicts()}


@pytest.mark.parametrize("text,fact", [
    ("Fondée en 2016 et basée à San francisco, Zeta AI lève 1 milliard de dollars.", ("Zeta AI", "San Francisco", "US")),
    ("La start-up Acme lève 5 M€. Basée aux Etats-Unis, la société a été fondée en 2016.", ("Acme", None, "US")),
    ("Acme lève 5 M€. Cette entreprise opère entre Paris et New York.", ("Acme", None, None)),
    ("La pépite bordelaise Sillage lève 9 millions d’euros.", ("Sillage", "Bordeaux", "FR")),
    ("La nantaise Ostréa lève 3,4 millions d’euros.", ("Ostréa", "Nantes", "FR")),
    ("The London-based Harbor Health raised £32 million.", ("Harbor Health", "London", "GB")),
    ("L’américain Zeta AI lève un milliard de dollars", ("Zeta AI", None, "US")),
    ("Nova Grid (Lyon) – 18 millions d’euros", ("Nova Grid", "Lyon", "FR")),
    ("Acme, installée à Londres, lève 5 M€.", ("Acme", "London", "GB")),
    ("French startup Acme raised €5 million.", ("Acme", None, "FR")),
])
def test_place_facts(text, fact):
    got = places(text)
    if fact[1] is None and fact[2] is None:
        return
    assert fact in got


def test_operating_between_two_cities_takes_the_first():
    got = places("Acme lève 235 millions de dollars. Créée par des Français et opérant entre Paris et New York.")
    assert ("Acme", "Paris", "FR") in got


def test_a_bare_city_is_no_base():
    assert places("A Paris, la scène de l’IA est en effervescence. Acme lève 5 M€.") == set()


@pytest.mark.parametrize("text,fact", [
    ("The London virtual physiotherapy startup closed a £32M Series B.", ("London", "GB")),
    ("New York's Tidewater AI raised $60M in a Series B.", ("New York City", "US")),
    ("Cambridge, UK-based Ardent Bio has raised $14m.", ("Cambridge", "GB")),
])
def test_english_city_cues(text, fact):
    got = {(c, k) for _, c, k in places(text)}
    assert fact in got
