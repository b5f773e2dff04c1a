"""Raw tables for the quality rules' tests: one company per case, as a careful parser extracts it.

Cases mirror the planted-errors corpus (tests/fixtures/planted_errors: 12 planted errors, 13
consistent reports) and add the edge cases of each rule: tolerance boundaries, weekends and
ECB holidays, rounds with no date, inferred dates, parity, precision of rounded figures.

`build()` returns (tables, expectations): tables for tests.dbt.raw_fixture.build_raw, and
for each company the findings expected in marts.quality_issues as {(check_name, severity)}
(an empty set: no finding at all; None: anything but an error).
"""
from __future__ import annotations

import math
from datetime import date
from typing import Any

from tests.dbt.raw_fixture import article, mention

D = date


class Corpus:
    def __init__(self) -> None:
        self.articles: list[dict] = []
        self.facts: list[dict] = []
        self.mentions: list[dict] = []
        self.figures: list[dict] = []
        self.expect: dict[str, set[tuple[str, str]] | None] = {}
        self._n = 0
        self._sentence = 0

    def article(self, published: date | None, text: str = "", inferred: bool = False) -> str:
        self._n += 1
        article_id = f"{self._n:016x}"
        a, f = article(article_id, published, title=text[:60], inferred=inferred,
                       precision="day" if published else None)
        a["text"] = text or a["title"]
        a["path"] = f"case_{self._n:03d}.txt"
        self.articles.append(a)
        self.facts.append(f)
        return article_id

    def mention(self, article_id: str, company: str, amount: float, currency: str, text: str, *,
                valuation: float | None = None, valuation_currency: str | None = None,
                valuation_text: str | None = None, valuation_basis: str | None = None,
                qualifier: str = "exact", quote: str | None = None, **kw: Any) -> dict:
        start = 100 * (len(self.mentions) + 1)
        m = mention(article_id, start, company, amount, currency, amount_text=text, qualifier=qualifier,
                    valuation=valuation, valuation_currency=valuation_currency, quote=quote, **kw)
        if valuation is not None:
            m["valuation_text"] = valuation_text or f"{valuation:,.0f}"
            m["valuation_basis"] = valuation_basis
        self._sentence += 1
        m["_sentence"] = self._sentence
        self.mentions.append(m)
        self.figures.append({
            "figure_id": m["mention_id"], "article_id": article_id, "sentence_idx": self._sentence,
            "char_start": m["char_start"], "char_end": m["char_end"], "raw_text": text, "amount": float(amount),
            "currency": currency, "currency_inferred": m["currency_inferred"], "qualifier": qualifier,
            "kind": "round", "company": company, "quote": m["quote"],
        })
        if valuation is not None:
            self.figures.append({
                "figure_id": f"{article_id}:{start + 50}", "article_id": article_id,
                "sentence_idx": self._sentence, "char_start": start + 50, "char_end": start + 70,
                "raw_text": m["valuation_text"], "amount": float(valuation), "currency": valuation_currency,
                "currency_inferred": False, "qualifier": "exact", "kind": "valuation", "company": company,
                "quote": m["quote"],
            })
        return m

    def inline(self, m: dict, amount: float, currency: str, text: str, qualifier: str = "exact",
               kind: str = "round") -> None:
        """A conversion printed right after the mention's figure, in the same sentence."""
        start = m["char_end"] + 3
        self.figures.append({
            "figure_id": f"{m['article_id']}:{start}", "article_id": m["article_id"],
            "sentence_idx": m["_sentence"], "char_start": start, "char_end": start + 15, "raw_text": text,
            "amount": float(amount), "currency": currency, "currency_inferred": False, "qualifier": qualifier,
            "kind": kind, "company": m["company"], "quote": m["quote"],
        })

    def tables(self) -> dict[str, list[dict]]:
        mentions = [{k: v for k, v in m.items() if not k.startswith("_")} for m in self.mentions]
        return {"articles": self.articles, "article_facts": self.facts, "round_mentions": mentions,
                "figures": self.figures}


def ecb(day: date, currency: str) -> float:
    """Units of currency per EUR on the last business day on or before `day` (the ECB history)."""
    from currency_converter import CurrencyConverter

    converter = CurrencyConverter(fallback_on_missing_rate=False, fallback_on_wrong_date=False)
    for back in range(10):
        try:
            return converter.convert(1, "EUR", currency, date=date.fromordinal(day.toordinal() - back))
        except Exception:  # noqa: BLE001 - weekend or holiday: go back one day
            continue
    raise LookupError(f"no ECB rate for {currency} near {day}")


ERROR = "error"
WARNING = "warning"


def build() -> tuple[dict[str, list[dict]], dict[str, set[tuple[str, str]] | None], dict[str, Any]]:
    c = Corpus()
    info: dict[str, Any] = {}
    e = c.expect

    # ---- planted errors ------------------------------------------------------------------
    a = c.article(D(2024, 3, 12))
    c.mention(a, "Brisa Labs", 50e6, "USD", "50 millions de dollars", round_type="series_b",
              announced_on=D(2024, 3, 12), announced_precision="day")
    a = c.article(D(2024, 3, 13))
    c.mention(a, "Brisa Labs", 60e6, "EUR", "60 millions d'euros", round_type="series_b",
              announced_on=D(2024, 3, 13), announced_precision="day")
    e["Brisa Labs"] = {("cross_currency", ERROR)}

    a = c.article(D(2024, 5, 15))
    c.mention(a, "Halcyon Pay", 40e6, "EUR", "40 millions d'euros", announced_on=D(2024, 5, 15),
              announced_precision="day")
    a = c.article(D(2024, 5, 17))
    c.mention(a, "Halcyon Pay", 40e6, "USD", "$40 million", announced_on=D(2024, 5, 17), announced_precision="day")
    e["Halcyon Pay"] = {("swapped_currency", ERROR)}

    a = c.article(D(2024, 2, 6))
    c.mention(a, "Celeste Analytics", 30e6, "EUR", "30 millions d'euros", round_type="series_a",
              announced_on=D(2024, 2, 6), announced_precision="day")
    a = c.article(D(2024, 2, 8))
    c.mention(a, "Celeste Analytics", 38e6, "EUR", "38 millions d'euros", round_type="series_a",
              announced_on=D(2024, 2, 8), announced_precision="day")
    e["Celeste Analytics"] = {("conflicting_amounts", ERROR)}

    a = c.article(D(2024, 10, 15))
    c.mention(a, "Valoria", 14e6, "EUR", "14 millions d'euros", announced_on=D(2024, 10, 15), announced_precision="day")
    c.mention(a, "Valoria", 12e6, "EUR", "12 millions d'euros", round_type="series_a",
              announced_on=D(2024, 10, 15), announced_precision="day")
    e["Valoria"] = {("conflicting_amounts", ERROR)}

    a = c.article(D(2024, 4, 16))
    c.mention(a, "Verdeo", 20e6, "EUR", "20 millions d'euros", valuation=15e6, valuation_currency="EUR",
              valuation_text="15 millions d'euros", announced_on=D(2024, 4, 16), announced_precision="day")
    e["Verdeo"] = {("valuation_below_amount", ERROR)}

    a = c.article(D(2024, 5, 20))
    c.mention(a, "Ekko Mobility", 7e6, "EUR", "7 millions d'euros", announced_on=D(2024, 6, 3),
              announced_precision="day")
    e["Ekko Mobility"] = {("round_after_article", ERROR)}

    a = c.article(D(2024, 11, 20))
    c.mention(a, "Loopa", 30e6, "EUR", "30 millions d'euros", round_type="series_b",
              announced_on=D(2024, 9, 1), announced_precision="month")
    c.mention(a, "Loopa", 9e6, "EUR", "9 millions d'euros", announced_on=D(2024, 10, 1),
              announced_precision="month", is_recalled=True)
    e["Loopa"] = {("recalled_after_recalling", ERROR)}

    a = c.article(D(2024, 5, 14))
    c.mention(a, "Aerolithe", 40e6, "EUR", "40 millions d'euros", round_type="series_b",
              announced_on=D(2024, 5, 14), announced_precision="day")
    a = c.article(D(2024, 6, 4))
    c.mention(a, "Aerolithe", 60e6, "EUR", "60 millions d'euros", round_type="series_c",
              announced_on=D(2023, 1, 1), announced_precision="year", is_recalled=True)
    e["Aerolithe"] = {("round_order", WARNING)}

    a = c.article(D(2024, 6, 21))
    c.mention(a, "Fermenta", 5000, "EUR", "5\u202f000\u00a0€", announced_on=D(2024, 6, 21), announced_precision="day")
    e["Fermenta"] = {("plausibility", ERROR)}

    a = c.article(D(2024, 7, 9))
    c.mention(a, "Zestra", 12e6, "EUR", "12 million", currency_inferred=True, announced_on=D(2024, 7, 9),
              announced_precision="day")
    e["Zestra"] = {("currency_inferred", WARNING)}

    a = c.article(None)
    c.mention(a, "Quillo", 4e6, "EUR", "4 millions d'euros")
    e["Quillo"] = {("date_unknown", WARNING)}

    sentence = ("Avec ces 8 millions d’euros, Tournesol arrive sur un marché où les start-up de la foodtech "
                "ont levé 310 millions d’euros au premier semestre 2024, contre 450 millions sur la même "
                "période de 2024, selon le cabinet DigitalFoodLab")
    a = c.article(D(2024, 7, 16), text="Foodtech : Tournesol lève 8 millions d’euros\n\n" + sentence + ".\n")
    c.mention(a, "Tournesol", 8e6, "EUR", "8 millions d’euros", round_type="series_a",
              announced_on=D(2024, 7, 16), announced_precision="day", quote=sentence)
    e["Tournesol"] = {("same_period", WARNING)}

    # ---- consistent reports --------------------------------------------------------------
    a = c.article(D(2024, 6, 11))
    m = c.mention(a, "Ondaline", 60e6, "EUR", "60 millions d'euros", announced_on=D(2024, 6, 11),
                  announced_precision="day")
    c.inline(m, 64e6, "USD", "environ 64 millions de dollars", qualifier="approx")
    e["Ondaline"] = set()

    a = c.article(D(2024, 9, 10))
    c.mention(a, "Kerneo", 45e6, "EUR", "45 millions d'euros", valuation=300e6, valuation_currency="EUR",
              valuation_text="300 millions d'euros", announced_on=D(2024, 9, 10), announced_precision="day")
    a = c.article(D(2024, 9, 13))
    c.mention(a, "Kerneo", 50e6, "USD", "$50 million", valuation=330e6, valuation_currency="USD",
              valuation_text="$330 million", announced_on=D(2024, 9, 13), announced_precision="day")
    e["Kerneo"] = set()

    a = c.article(D(2024, 10, 8))
    c.mention(a, "Stellaris Fusion", 1.2e9, "EUR", "1,2 milliard d'euros", announced_on=D(2024, 10, 8),
              announced_precision="day")
    a = c.article(D(2024, 10, 9))
    m = c.mention(a, "Stellaris Fusion", 1.3e9, "USD", "$1.3 billion", announced_on=D(2024, 10, 9),
                  announced_precision="day")
    c.inline(m, 1.18e9, "EUR", "€1.18 billion")
    e["Stellaris Fusion"] = set()

    a = c.article(D(2024, 6, 15))  # a Saturday
    m = c.mention(a, "Orbitale", 25e6, "EUR", "€25 million", announced_on=D(2024, 6, 15), announced_precision="day")
    c.inline(m, 26.7e6, "USD", "$26.7 million")
    e["Orbitale"] = set()

    a = c.article(D(2024, 9, 15))  # a Sunday
    m = c.mention(a, "Marees", 33e6, "USD", "33 millions de dollars", announced_on=D(2024, 9, 15),
                  announced_precision="day")
    c.inline(m, 29.8e6, "EUR", "29,8 millions d'euros")
    e["Marees"] = set()

    a = c.article(D(2024, 7, 9))
    m = c.mention(a, "Thistle Bio", 40e6, "GBP", "£40m", announced_on=D(2024, 7, 9), announced_precision="day")
    c.inline(m, 47.3e6, "EUR", "€47.3m")
    e["Thistle Bio"] = set()

    a = c.article(D(2024, 11, 19))
    m = c.mention(a, "Glaciem", 25e6, "CHF", "25 millions de francs suisses", announced_on=D(2024, 11, 19),
                  announced_precision="day")
    c.inline(m, 26.8e6, "EUR", "environ 26,8 millions d'euros", qualifier="approx")
    e["Glaciem"] = set()

    a = c.article(D(2022, 7, 12))
    c.mention(a, "Novalith", 100e6, "USD", "100 millions de dollars", announced_on=D(2022, 7, 12),
              announced_precision="day")
    a = c.article(D(2022, 7, 14))
    c.mention(a, "Novalith", 100e6, "EUR", "€100 million", announced_on=D(2022, 7, 14), announced_precision="day")
    e["Novalith"] = set()

    a = c.article(D(2024, 6, 21))
    c.mention(a, "Maraiche", 30e6, "EUR", "près de 30 millions d'euros", qualifier="approx",
              announced_on=D(2024, 6, 21), announced_precision="day")
    a2 = c.article(D(2024, 6, 22))
    c.mention(a2, "Maraiche", 29.5e6, "EUR", "€29.5 million", announced_on=D(2024, 6, 22), announced_precision="day")
    e["Maraiche"] = set()

    c.mention(a, "Corail Systems", 20e6, "USD", "plus de 20 millions de dollars", qualifier="at_least",
              announced_on=D(2024, 6, 21), announced_precision="day")
    c.mention(a2, "Corail Systems", 21.5e6, "USD", "$21.5 million", announced_on=D(2024, 6, 22),
              announced_precision="day")
    e["Corail Systems"] = set()

    a = c.article(D(2024, 4, 23))
    c.mention(a, "Seve", 10e6, "EUR", "10 millions d'euros", valuation=8e6, valuation_currency="EUR",
              valuation_text="8 millions d'euros", valuation_basis="pre", round_type="series_a",
              announced_on=D(2024, 4, 23), announced_precision="day")
    e["Seve"] = set()
    c.mention(a, "Seve Bis", 10e6, "EUR", "10 millions d'euros", valuation=8e6, valuation_currency="EUR",
              valuation_text="8 millions d'euros", announced_on=D(2024, 4, 23), announced_precision="day",
              quote="Seve Bis lève 10 millions d’euros sur la base d’une valorisation pré-money de 8 millions d’euros")
    e["Seve Bis"] = set()

    a = c.article(D(2024, 3, 5))
    c.mention(a, "Brume", 18e6, "EUR", "18 millions d'euros", round_type="series_b", announced_on=D(2024, 3, 1),
              announced_precision="month")
    c.mention(a, "Brume", 6e6, "EUR", "6 millions d'euros", round_type="series_a", announced_on=D(2022, 1, 1),
              announced_precision="year", is_recalled=True)
    e["Brume"] = set()

    # ---- edge cases ----------------------------------------------------------------------
    # ECB holiday: 25 and 26 December; the rate used is that of Friday 22 December 2023.
    rate = ecb(D(2023, 12, 22), "USD")
    a = c.article(D(2023, 12, 26))
    m = c.mention(a, "Noel Robotics", 20e6, "EUR", "20 millions d'euros", announced_on=D(2023, 12, 26),
                  announced_precision="day")
    usd = round(20 * rate, 1)
    c.inline(m, usd * 1e6, "USD", f"{usd:.1f} millions de dollars".replace(".", ","))
    e["Noel Robotics"] = set()
    info["holiday_rate_date"] = D(2023, 12, 22)

    # Tolerance boundary, same day (margin 1 %): 123 M EUR against q M USD.
    day = D(2024, 3, 12)
    rate = ecb(day, "USD")
    upper = 123.5 * rate * 1.01 + 0.5   # above: (q - 0.5) / 123.5 > rate * 1.01
    lower = 122.5 * rate * 0.99 - 0.5   # below: (q + 0.5) / 122.5 < rate * 0.99
    cases = {
        "Bound High In": math.floor(upper), "Bound High Out": math.floor(upper) + 1,
        "Bound Low In": math.ceil(lower), "Bound Low Out": math.ceil(lower) - 1,
    }
    for company, q in cases.items():
        a = c.article(day)
        m = c.mention(a, company, 123e6, "EUR", "123 millions d'euros", announced_on=day, announced_precision="day")
        c.inline(m, q * 1e6, "USD", f"{q} millions de dollars")
        e[company] = {("cross_currency", ERROR)} if company.endswith("Out") else set()
    info["bounds"] = cases

    # FX margin: 1.5 % off the ECB rate is an error on one day, consistent with articles 5 days apart.
    for company, second_day in (("Margin Same Day", D(2024, 3, 12)), ("Margin Days Apart", D(2024, 3, 18))):
        a = c.article(D(2024, 3, 12))
        c.mention(a, company, 200.0e6, "EUR", "200,0 millions d'euros", round_type="series_a",
                  announced_on=D(2024, 3, 12), announced_precision="day")
        q = round(200.0 * ecb(D(2024, 3, 12), "USD") * 1.015, 1)
        a = c.article(second_day)
        c.mention(a, company, q * 1e6, "USD", f"{q:.1f} millions de dollars".replace(".", ","),
                  round_type="series_a", announced_on=second_day, announced_precision="day")
    e["Margin Same Day"] = {("cross_currency", ERROR)}
    e["Margin Days Apart"] = None  # no error (the 2 % margin covers it)

    # Conflicting amounts at the precision boundary: 12,5 and 12,6 touch; 12,5 and 12,7 do not.
    for company, second in (("Touch Twelve", 12.6), ("Apart Twelve", 12.7)):
        a = c.article(D(2024, 4, 2))
        c.mention(a, company, 12.5e6, "EUR", "12,5 millions d'euros", announced_on=D(2024, 4, 2), announced_precision="day")
        a = c.article(D(2024, 4, 3))
        c.mention(a, company, second * 1e6, "EUR", f"{second:.1f} millions d'euros".replace(".", ","),
                  announced_on=D(2024, 4, 3), announced_precision="day")
    e["Touch Twelve"] = set()
    e["Apart Twelve"] = {("conflicting_amounts", ERROR)}

    # Two significant digits: 240 M USD printed for 218 M EUR at 1.084 (236 M) is consistent.
    a = c.article(D(2023, 8, 24))
    m = c.mention(a, "Rounded Two", 218e6, "EUR", "218 millions d'euros", announced_on=D(2023, 8, 24),
                  announced_precision="day")
    c.inline(m, 240e6, "USD", "240 millions de dollars")
    e["Rounded Two"] = set()

    # Plausibility boundaries.
    for company, amount, text, flagged in (
        ("Floor Exact", 10_000, "10 000 euros", False), ("Floor Below", 9_999, "9 999 euros", True),
        ("Ceiling Exact", 100e9, "100 milliards d'euros", False), ("Ceiling Above", 150e9, "150 milliards d'euros", True),
    ):
        a = c.article(D(2024, 1, 10))
        c.mention(a, company, amount, "EUR", text, announced_on=D(2024, 1, 10), announced_precision="day")
        e[company] = {("plausibility", ERROR)} if flagged else set()

    # Dates: an inferred article date is only a warning; a month that starts before the article is fine.
    a = c.article(D(2024, 2, 1), inferred=True)
    c.mention(a, "Inferred Date", 5e6, "EUR", "5 millions d'euros", announced_on=D(2024, 3, 15), announced_precision="day")
    e["Inferred Date"] = {("round_after_article", WARNING)}
    a = c.article(D(2024, 3, 31))
    c.mention(a, "Same Month", 5e6, "EUR", "5 millions d'euros", announced_on=D(2024, 3, 1), announced_precision="month")
    e["Same Month"] = set()

    # Round order: a Series B "en 2021" and a Series C "en mars 2021" overlap: no warning.
    a = c.article(D(2021, 6, 1))
    c.mention(a, "Overlap Order", 30e6, "EUR", "30 millions d'euros", round_type="series_c",
              announced_on=D(2021, 3, 1), announced_precision="month")
    c.mention(a, "Overlap Order", 10e6, "EUR", "10 millions d'euros", round_type="series_b",
              announced_on=D(2021, 1, 1), announced_precision="year", is_recalled=True)
    e["Overlap Order"] = set()

    # An extension of a Series B weeks later is a round of its own, not a conflicting amount.
    a = c.article(D(2024, 3, 16))
    c.mention(a, "Extension Co", 60e6, "USD", "$60M", round_type="series_b", valuation=480e6,
              valuation_currency="USD", valuation_text="$480 million", announced_on=D(2024, 3, 16),
              announced_precision="day")
    a = c.article(D(2024, 4, 3))
    c.mention(a, "Extension Co", 15e6, "USD", "$15 million", round_type="series_b", announced_on=D(2024, 4, 3),
              announced_precision="day")
    e["Extension Co"] = set()

    # The same numeral in two currencies for two rounds 200 days apart is two rounds, not a swap.
    a = c.article(D(2023, 1, 10))
    c.mention(a, "Two Rounds", 15e6, "EUR", "15 millions d'euros", announced_on=D(2023, 1, 10), announced_precision="day")
    a = c.article(D(2023, 7, 28))
    c.mention(a, "Two Rounds", 15e6, "USD", "$15 million", announced_on=D(2023, 7, 28), announced_precision="day")
    e["Two Rounds"] = set()

    return c.tables(), e, info
