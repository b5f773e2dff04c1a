"""A small hand-made warehouse with the contract's marts tables, for the UX tests (no pipeline run)."""
from __future__ import annotations

from pathlib import Path

import duckdb

SQL = """
create schema raw;
create schema marts;
create table raw.articles as select * from (values
    ('a1', 'lyon/acme.md', 'Acme lève 12 M€', 'https://example.org/acme', date '2024-03-12'),
    ('a2', 'paris/beta.txt', 'Beta raises $30M', null, date '2024-06-02'),
    ('a3', 'paris/gamma.html', 'Gamma boucle 100 M€', 'https://example.org/gamma', date '2023-11-20')
) t(article_id, path, title, url, published_on);
create table raw.quarantine as select 'bad.bin' as path, 'binary' as reason, 'skipped' as action;
create table marts.rounds as select * from (values
    ('r1', 'Acme', null, date '2024-03-12', 'day', 12e6, 'EUR', 'exact', 12e6, 13.1e6, date '2024-03-12',
     null::double, null::varchar, null::double, null::double, 'Kima Ventures', 2, 'Lyon', 'FR', 1),
    ('r2', 'Beta', 'series_a', date '2024-06-01', 'month', 30e6, 'USD', 'approx', 27.6e6, 30e6, date '2024-05-31',
     150e6, 'USD', 138e6, 150e6, 'Partech', 3, 'Paris', 'FR', 1),
    ('r3', 'Gamma', 'series_b', date '2023-11-20', 'day', 100e6, 'EUR', 'exact', 100e6, 107e6, date '2023-11-20',
     null, null, null, null, 'Partech', 2, 'Paris', 'FR', 2)
) t(round_id, company, round_type, announced_on, announced_precision, amount, currency, amount_qualifier,
    amount_eur, amount_usd, fx_rate_date, valuation, valuation_currency, valuation_eur, valuation_usd,
    lead_investor, investor_count, city, country, source_count);
create table marts.round_investors as select * from (values
    ('r1', 'Kima Ventures', true), ('r1', 'BPI France', false),
    ('r2', 'Partech', true), ('r2', 'BPI France', false), ('r2', 'Kima Ventures', false),
    ('r3', 'Partech', true), ('r3', 'Eurazeo', false)
) t(round_id, investor, is_lead);
create table marts.round_sources as select * from (values
    ('r1', 'a1', 'Acme lève 12 millions d''euros auprès de Kima Ventures.', 12e6, 'EUR', null::double, null::varchar),
    ('r2', 'a2', 'Beta raised nearly $30 million led by Partech.', 30e6, 'USD', 150e6, 'USD'),
    ('r3', 'a3', 'Gamma boucle 100 millions d''euros.', 100e6, 'EUR', null, null),
    ('r3', 'a1', 'Gamma, qui a levé 100 M€ l''an dernier.', 100e6, 'EUR', null, null)
) t(round_id, article_id, quote, reported_amount, reported_currency, reported_valuation, reported_valuation_currency);
create table marts.investors as select * from (values
    ('Partech', 'vc', 2, 2, 2, 127.6e6, date '2023-11-20', date '2024-06-01'),
    ('Kima Ventures', 'vc', 2, 1, 2, 39.6e6, date '2024-03-12', date '2024-06-01'),
    ('BPI France', 'public', 2, 0, 2, 39.6e6, date '2024-03-12', date '2024-06-01'),
    ('Eurazeo', 'vc', 1, 0, 1, 100e6, date '2023-11-20', date '2023-11-20')
) t(investor, investor_type, rounds_count, lead_count, companies_count, total_rounds_eur, first_round_on, last_round_on);
create table marts.companies as select * from (values
    ('Acme', 'Lyon', 'FR', 1, 12e6, null::double),
    ('Beta', 'Paris', 'FR', 1, 27.6e6, 138e6),
    ('Gamma', 'Paris', 'FR', 1, 100e6, null)
) t(company, city, country, rounds_count, total_raised_eur, latest_valuation_eur);
create table marts.ecosystem_by_city as select * from (values
    ('Paris', 'FR', 2, 2, 127.6e6, 137e6, 63.8e6, 'Gamma', 100e6, 4, date '2024-06-01'),
    ('Lyon', 'FR', 1, 1, 12e6, 13.1e6, 12e6, 'Acme', 12e6, 2, date '2024-03-12')
) t(city, country, companies_count, rounds_count, total_raised_eur, total_raised_usd, median_round_eur,
    largest_round_company, largest_round_eur, investors_count, last_round_on);
create table marts.quality_issues as select * from (values
    ('q1', 'conflicting_amounts', 'warning', 'r3', 'a1',
     'Two articles give different amounts for Gamma''s round: check which one is right.', '100000000', '90000000'),
    ('q2', 'valuation_below_amount', 'error', 'r2', 'a2',
     'Beta''s valuation is below the amount raised.', '150000000', '> 30000000')
) t(issue_id, check_name, severity, round_id, article_id, message, observed, expected);
"""


def make_tiny_warehouse(path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect(str(path))
    try:
        con.execute(SQL)
        con.execute("checkpoint")
    finally:
        con.close()
    return path
