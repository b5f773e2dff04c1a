-- The per-company digests the company-local tables now hold (int_company_changes):
-- the build's last model, after every incremental model it stands for (depends_on
-- below), so that a build that fails half-way leaves the previous digests and the next
-- build redoes every company changed since the last complete one.
-- depends_on: {{ ref('int_round_clusters') }}
-- depends_on: {{ ref('int_round_mentions_resolved') }}
-- depends_on: {{ ref('int_rounds') }}
-- depends_on: {{ ref('int_round_investors') }}
-- depends_on: {{ ref('int_quality__mentions') }}
-- depends_on: {{ ref('int_quality__mention_figures') }}
-- depends_on: {{ ref('int_quality__reported_figures') }}
-- depends_on: {{ ref('int_quality__sibling_rounds') }}
-- depends_on: {{ ref('int_quality__figure_pairs') }}
-- depends_on: {{ ref('int_quality__cross_currency') }}
-- depends_on: {{ ref('int_quality__swapped_currency') }}
-- depends_on: {{ ref('int_quality__conflicting_amounts') }}
-- depends_on: {{ ref('int_quality__valuation_below_amount') }}
-- depends_on: {{ ref('int_quality__dates') }}
-- depends_on: {{ ref('int_quality__round_order') }}
-- depends_on: {{ ref('int_quality__inferred_facts') }}
-- depends_on: {{ ref('int_quality__plausibility') }}
-- depends_on: {{ ref('rounds') }}
-- depends_on: {{ ref('round_sources') }}
-- depends_on: {{ ref('round_investors') }}
{{ config(materialized='table') }}

select company_key, digest
from {{ ref('int_company_changes') }}
where digest is not null
