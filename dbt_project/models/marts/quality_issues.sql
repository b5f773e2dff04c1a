-- What the quality checks found about the press: one row per finding, with evidence.
-- Findings never stop a run (docs/quality_rules.md). The rules are the
-- int_quality__* models; each keeps its consistent comparisons too (is_finding
-- false), which show in the Dagster checks' metadata but not here.

{{ config(materialized='table') }}

with findings as (
    {% set rules = [
        'int_quality__cross_currency',
        'int_quality__swapped_currency',
        'int_quality__conflicting_amounts',
        'int_quality__valuation_below_amount',
        'int_quality__dates',
        'int_quality__same_period',
        'int_quality__round_order',
        'int_quality__inferred_facts',
        'int_quality__plausibility',
    ] %}
    {% for rule in rules %}
    select
        cast(check_name as varchar) as check_name,
        cast(severity as varchar) as severity,
        cast(round_id as varchar) as round_id,
        cast(article_id as varchar) as article_id,
        cast(message as varchar) as message,
        cast(observed as varchar) as observed,
        cast(expected as varchar) as expected,
        cast(quote as varchar) as quote
    from {{ ref(rule) }}
    where is_finding
    {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

keyed as (
    select
        md5(check_name || '|' || coalesce(round_id, '') || '|' || coalesce(article_id, '') || '|' || coalesce(observed, '')) as issue_id,
        *
    from findings
)

select issue_id, check_name, severity, round_id, article_id, message, observed, expected, quote
from keyed
-- one row per issue_id: the same finding reached twice is one finding
qualify row_number() over (partition by issue_id order by severity, message) = 1
order by case severity when 'error' then 0 else 1 end, check_name, round_id, article_id, issue_id
