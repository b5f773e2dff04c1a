"""Money in French and English typography: amount, currency and qualifier."""
import pytest

from tests.parsing.util import first_figure

NBSP, NNBSP = "\u00a0", "\u202f"
CASES = [
    ("a levé 235 millions de dollars.", 235e6, "USD", "exact"),
    ("valorisée 1,86 milliard d’euros.", 1.86e9, "EUR", "exact"),
    ("une levée de 4,5 Md$.", 4.5e9, "USD", "exact"),
    ("lève 3,5 M€ auprès de X.", 3.5e6, "EUR", "exact"),
    ("lève 12 M$.", 12e6, "USD", "exact"),
    (f"réunit 500{NNBSP}000{NBSP}€.", 500_000, "EUR", "exact"),
    (f"réunit 500{NBSP}000 €.", 500_000, "EUR", "exact"),
    ("réunit 500 000 euros.", 500_000, "EUR", "exact"),
    ("raised $1.2bn.", 1.2e9, "USD", "exact"),
    ("raised $50M in a seed round.", 50e6, "USD", "exact"),
    ("raised €20 million.", 20e6, "EUR", "exact"),
    ("raised US$ 15 million.", 15e6, "USD", "exact"),
    ("raised US$15 million.", 15e6, "USD", "exact"),
    ("a levé 10 millions de dollars américains.", 10e6, "USD", "exact"),
    ("a levé 20 millions de francs suisses.", 20e6, "CHF", "exact"),
    ("raised CHF 20 million.", 20e6, "CHF", "exact"),
    ("a levé 20 millions CHF.", 20e6, "CHF", "exact"),
    ("a levé 15 millions de livres.", 15e6, "GBP", "exact"),
    ("a levé 15 millions de livres sterling.", 15e6, "GBP", "exact"),
    ("raised £20m.", 20e6, "GBP", "exact"),
    ("raised £7.5 million.", 7.5e6, "GBP", "exact"),
    ("lève 800 k€.", 800_000, "EUR", "exact"),
    ("lève un milliard de dollars.", 1e9, "USD", "exact"),
    ("lève deux millions d’euros.", 2e6, "EUR", "exact"),
    ("un tour de table d’un milliard de dollars.", 1e9, "USD", "exact"),
    ("raised a billion dollars.", 1e9, "USD", "exact"),
    ("raised two million dollars.", 2e6, "USD", "exact"),
    ("raised $1.125 billion.", 1.125e9, "USD", "exact"),
    ("raised 1,000,000 dollars.", 1e6, "USD", "exact"),
    ("raised $2.5B in new funding.", 2.5e9, "USD", "exact"),
    ("raised USD 10 million.", 10e6, "USD", "exact"),
    ("raised EUR 3.5m.", 3.5e6, "EUR", "exact"),
    ("a levé 1 234,5 millions d’euros.", 1234.5e6, "EUR", "exact"),
    ("a levé 300 millions US$.", 300e6, "USD", "exact"),
    ("a levé 25 millions de dollars canadiens.", 25e6, "CAD", "exact"),
    ("raised C$25 million.", 25e6, "CAD", "exact"),
    ("raised A$12 million.", 12e6, "AUD", "exact"),
    ("raised ¥2 billion.", 2e9, "JPY", "exact"),
    ("a levé 2 milliards de yens.", 2e9, "JPY", "exact"),
    ("a levé 100 millions de couronnes suédoises.", 100e6, "SEK", "exact"),
    ("a levé 40 millions.", 40e6, None, "exact"),
    ("une valorisation de 7,3 milliards.", 7.3e9, None, "exact"),
    ("raised 1.2bn in 2021.", 1.2e9, None, "exact"),
    ("a levé près de 500 millions d’euros.", 500e6, "EUR", "approx"),
    ("a levé environ 7 millions d’euros.", 7e6, "EUR", "approx"),
    ("a levé quelque 30 millions d’euros.", 30e6, "EUR", "approx"),
    ("a levé près d’un milliard d’euros.", 1e9, "EUR", "approx"),
    ("raised nearly $40 million.", 40e6, "USD", "approx"),
    ("raised about $40 million.", 40e6, "USD", "approx"),
    ("raised roughly €8m.", 8e6, "EUR", "approx"),
    ("raised around £3 million.", 3e6, "GBP", "approx"),
    ("un tour de plus de 100 millions d’euros.", 100e6, "EUR", "at_least"),
    ("un tour d’au moins 20 millions d’euros.", 20e6, "EUR", "at_least"),
    ("a levé plus d’un milliard de dollars.", 1e9, "USD", "at_least"),
    ("raised more than €10 million.", 10e6, "EUR", "at_least"),
    ("raised over $200 million.", 200e6, "USD", "at_least"),
    ("raised at least $5 million.", 5e6, "USD", "at_least"),
    ("pourrait lever jusqu’à 25 millions d’euros.", 25e6, "EUR", "at_most"),
    ("could raise up to £25M.", 25e6, "GBP", "at_most"),
    ("raised as much as $30 million.", 30e6, "USD", "at_most"),
    ("un accès à partir de 20 dollars par mois.", 20, "USD", "exact"),
    ("a levé 2,5 millions d'euros.", 2.5e6, "EUR", "exact"),
]
NOT_MONEY = [
    "plus de 10.000 de leurs employés.",
    "dont 500.000 modèles et 250.000 espaces.",
    "plus d’un million de référentiels.",
    "2 million users signed up.",
    "fondée en 2016 à Paris.",
    "le 15 mars 2023.",
    "l’Airbus A380 a volé.",
    "170 salariés, dont 80 en France.",
]


def test_table_is_large():
    assert len(CASES) >= 60


@pytest.mark.parametrize("text,amount,currency,qual", CASES)
def test_money_table(text, amount, currency, qual):
    got_amount, got_currency, got_qual = first_figure(text)
    assert got_amount == pytest.approx(amount)
    assert got_currency == currency
    assert got_qual == qual


@pytest.mark.parametrize("text", NOT_MONEY)
def test_counts_and_dates_are_not_money(text):
    assert first_figure(text) == (None, None, None)


@pytest.mark.parametrize("text,currency", [
    ("Veodriol Cloud raises PLN 13.5 million", "PLN"),
    ("Acme lève 40 millions de zlotys", "PLN"),
    ("Acme raised CZK 120 million", "CZK"),
])
def test_polish_and_czech_currencies(text, currency):
    assert first_figure(text)[1] == currency
