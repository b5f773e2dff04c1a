"""What a figure is."""
import pytest

from tests.parsing.util import figures


def kinds(text):
    return [(r["raw_text"], r["kind"]) for r in figures(text).to_dicts()]


@pytest.mark.parametrize("text,expected", [
    ("Acme a levé 10 millions d’euros.", ["round"]),
    ("Acme raised $10 million in a Series A.", ["round"]),
    ("Acme a levé 100 millions de dollars pour une valorisation de 2 milliards.", ["round", "valuation"]),
    ("Acme est valorisée 4,5 milliards de dollars.", ["valuation"]),
    ("The round values the startup at £210 million post-money.", ["valuation"]),
    ("Acme raised $300 million at a $3.4bn post-money valuation.", ["round", "valuation"]),
    ("Acme, valorisée 1,86 milliard d’euros après avoir levé près de 500 millions d’euros.", ["valuation", "cumulative"]),
    ("Acme a levé 80 millions d'euros au total depuis sa création.", ["cumulative"]),
    ("The company has raised $110 million in total since it was founded.", ["cumulative"]),
    ("Its revenue tripled last year to $71 million.", ["revenue"]),
    ("Acme réalise un chiffre d’affaires de 30 millions d’euros.", ["revenue"]),
    ("Un accès payant à partir de 20 dollars par mois.", ["price"]),
    ("Consumers pay £9 per month.", ["price"]),
    ("Les start-up de l’IA ont levé 19,15 milliards de dollars dans le monde, contre 16,36 milliards en 2023.", ["market_total", "market_total"]),
    ("Cette semaine, 18 start-up ont levé au total 245 millions d’euros.", ["period_total"]),
    ("Serac Partners lève un nouveau fonds de 200 millions d’euros.", ["fund"]),
    ("Kestrel closes a $150 million fund for climate startups.", ["fund"]),
    ("Le précédent fonds de la société, levé en 2020, atteignait 180 millions d’euros.", ["fund"]),
    ("Opaline Pay a été rachetée par Datanome pour 50 millions d’euros.", ["other"]),
    ("Redwood sold its stake for $70 million.", ["other"]),
    ("The grant covers 62% of a £2.4m project.", ["other"]),
    ("Nova Grid (Lyon) – 18 millions d’euros", ["round"]),
    ("Brightloop (Berlin) – €22M Series A", ["round"]),
    ("Mais selon The Information, ils devraient être de 30 millions de dollars.", ["other"]),
    ("Acme lève le voile sur un produit à 5 millions d’euros.", ["other"]),
    # an investor's fund sized right after it is named, whatever verb came first
    ("Côté investisseurs, Argent VC a par ailleurs bouclé son nouveau fonds, doté de 877 millions d’euros.", ["fund"]),
    ("Kestrel has closed its third fund, sized at $200 million.", ["fund"]),
    ("Le fonds Serac boucle son deuxième véhicule de 150 M€.", ["fund"]),
    ("Z Capital a levé un fonds de 300 M€.", ["fund"]),
    ("Acme annonce une levée de fonds de 5 millions d’euros.", ["round"]),
    # a fund that invests, or pays, is no fund being raised
    ("Le fonds Kima mène un tour de 5 M€ dans Acme.", ["round"]),
    ("Acme a levé 5 M€ auprès du fonds Kima.", ["round"]),
    ("The firm's second fund, raised in 2021, was $95 million.", ["fund"]),
    ("Il investira avec des tickets initiaux compris entre 2 et 8 millions d’euros.", ["other"]),
    ("The fund will write first cheques of $1 million to $5 million.", ["other", "other"]),
    ("The original $13 million tranche, announced in October 2024, was led by Skog Capital.", ["round"]),
    ("Ce fonds financera des tours de série A, avec des tickets compris entre 5 et 30 millions d’euros.", ["other"]),
])
def test_kinds(text, expected):
    assert [k for _, k in kinds(text)] == expected


def test_conversion_in_parentheses_is_flagged():
    rows = figures("Alpinum has raised CHF 18 million (about $20 million) in a Series A.").to_dicts()
    assert [r["is_conversion"] for r in rows] == [False, True]


def test_recall_cues():
    rows = figures("Sa précédente levée, en 2021, lui avait permis de réunir 325 millions de dollars.").to_dicts()
    assert rows[0]["is_recalled_cue"] is True
    rows = figures("Acme lève 10 millions d’euros.").to_dicts()
    assert rows[0]["is_recalled_cue"] is False


@pytest.mark.parametrize("text,expected", [
    # secondary part named right after the figure (OTHER_AFTER)
    ("Ecliptis a levé 42 millions d'euros en Bourse, dont 11,5 millions d'euros de cession de titres.", ["round", "other"]),
    ("Lumora sold $30 million in secondary shares to its investors.", ["other"]),
    # a price cue does not reach across a clause (PRICE_BEFORE)
    ("Ombrelle AI, which helps insurers price climate risk, raised €9m in a seed round.", ["round"]),
    ("Acme, qui aide les assureurs à fixer le prix du risque, lève 9 millions d'euros.", ["round"]),
    ("The subscription is priced at $9 a month.", ["price"]),
])
def test_kinds_issue3(text, expected):
    assert [k for _, k in kinds(text)] == expected


@pytest.mark.parametrize("text,expected", [
    # ROUND_CUE: "Security", "Finance" and "Invest" in names are no cue (the acquisition or valuation cue wins)
    ("En 2018, Plaegun avait racheté son concurrent Fafygult Finance pour 10,9 M€.", ["other"]),
    ("Last year Gikreon Space bought rival Ciocleagrio Security for $2 million.", ["other"]),
    ("L'opération valorise Neobreal Security à 650 M$.", ["valuation"]),
    ("Acme secures $5M to expand in Europe.", ["round"]),
    ("Le financement de 5 M€ est bouclé.", ["round"]),
    # REV_AFTER: adjectives before the revenue noun
    ("Kiomil Security expects to reach €1.2M in annual recurring revenue this year.", ["revenue"]),
    ("Bousketrux passes €4.4 million in annual revenue.", ["revenue"]),
    # STAGE_AFTER: a stage named right after the figure makes a round despite a valuation cue before it
    ("up from the $800 million valuation of its $65 million Series C in June 2023", ["valuation", "round"]),
    ("la valorisation de 300 millions d'euros de sa série B", ["valuation"]),
])
def test_kinds_issue3_names_and_stages(text, expected):
    assert [k for _, k in kinds(text)] == expected
