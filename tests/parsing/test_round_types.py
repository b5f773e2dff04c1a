"""Round types in the contract vocabulary."""
import pytest

from orchestration.parsing.round_types import find_round_types
from orchestration.parsing.text import split_sentences
from tests.parsing.util import articles, rounds


def types(text):
    return [r["round_type"] for r in find_round_types(split_sentences(articles(text))).to_dicts()]


@pytest.mark.parametrize("text,rt", [
    ("un pré-amorçage de 1,8 million", "pre_seed"), ("a $1.2M pre-seed round", "pre_seed"),
    ("un tour d’amorçage", "seed"), ("a seed round", "seed"), ("une série A", "series_a"),
    ("a Series B round", "series_b"), ("un tour de série C", "series_c"), ("la levée dite de «série D»", "series_d"),
    ("une série J", "series_j"), ("a bridge round", "bridge"), ("une extension de son tour", "bridge"),
    ("un prêt garanti par l’État", "debt"), ("€10.5 million in venture debt", "debt"), ("une dette de 20 M€", "debt"),
    ("une subvention de 2 M€", "grant"), ("les trois mécènes", "grant"), ("an Innovate UK grant", "grant"),
    ("une dotation de l’Etat", "grant"), ("son introduction en Bourse", "ipo"), ("its IPO on Nasdaq", "ipo"),
    ("a growth round", "growth"), ("un tour de croissance", "growth"),
])
def test_round_type_vocabulary(text, rt):
    assert types(text) == [rt]


def test_series_letter_is_case_sensitive():
    assert types("une série a été lancée") == []


def test_series_extension_keeps_the_letter():
    assert types("a Series B extension") == ["series_b"]


def test_type_named_elsewhere_attaches_to_the_announced_round():
    r = rounds("Acme lève 235 millions de dollars. La levée de fonds dite de «série D» valorise Acme 4,5 milliards de dollars.")
    assert r[0]["round_type"] == "series_d" and r[0]["valuation"] == 4.5e9


def test_no_type_when_the_text_says_none():
    assert rounds("Acme lève 235 millions de dollars.")[0]["round_type"] is None


def test_seed_extension_is_seed():
    assert types("added a €3 million extension to its seed round") == ["seed"]
    assert types("Verdant Loop prolonge son amorçage avec une extension de 3 millions d'euros") == ["seed"]


@pytest.mark.parametrize("text", [
    # PART_BEFORE: the debt named as a part of the package does not type the whole
    "Terres Vives lève 25 millions d'euros, dont 10 millions de dette",
    "Acme raised $30 million, including $8 million of venture debt.",
])
def test_debt_named_as_a_part_does_not_type_the_whole(text):
    assert rounds(text)[0]["round_type"] is None


def test_a_loan_alone_is_still_debt():
    assert rounds("Acme obtient un prêt de 2 millions d'euros.")[0]["round_type"] == "debt"
