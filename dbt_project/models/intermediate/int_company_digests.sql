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

{#- a build that did not rebuild every company-local model (a selection) keeps the digests of the
    last complete build: the models it left out still hold what those digests stand for (the
    models of by_company_config, tagged by_company; not the by-article ones of by_article.sql) -#}
{%- set missing = [] -%}
{%- if execute -%}
    {%- for node in graph.nodes.values() -%}
        {%- if node.resource_type == 'model' and node.package_name == project_name
              and 'by_company' in node.tags and node.unique_id not in selected_resources -%}
            {%- do missing.append(node.unique_id) -%}
        {%- endif -%}
    {%- endfor -%}
{%- endif -%}
{%- set complete = missing | length == 0 -%}
{%- set previous = load_relation(this) if execute else none -%}

{%- if complete or previous is none %}
select company_key, digest
from {{ ref('int_company_changes') }}
where digest is not null
{%- if not complete %}
    and false  -- no complete build to stand for: every company is new to the next build
{%- endif %}
{%- else %}
select company_key, digest from {{ previous }}
{%- endif %}
