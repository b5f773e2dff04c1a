-- Which companies changed since the tables were last built (macros/by_company.sql).
-- One row per company known now or at the last build, with a digest of everything the
-- company-local models read about it:
--   * its round mentions as converted (company resolved, its display name, figures in
--     EUR and USD, investor keys, dates: every column of int_round_mentions_converted);
--   * the investors each of its mentions names, resolved (key and display name);
--   * its location (int_company_locations: its city's spelling is chosen across companies);
--   * for each article that mentions it: the article (date, path), every figure of the
--     article and the ids of every round mention of the article, whatever its company
--     (the quality rules compare a mention with the other figures of its article);
--   * what is not per company, as a salt of every digest: the ECB rates and the dbt vars
--     (when they change every company is dirty; orchestration/assets/dbt.py also asks for
--     a --full-refresh then, and whenever a dbt file changes).
-- Digests are sums of DuckDB's 64-bit row hashes (order-free; a repeated row counts twice).
-- The previous digests are read from int_company_digests, which the build writes last:
-- after a failed build they are still the last complete build's, so the next build
-- recomputes every company changed since then.
{{ config(materialized='table') }}

{%- set previous = none -%}
{%- if execute -%}
    {%- set previous = adapter.get_relation(database=this.database, schema=this.schema,
                                            identifier='int_company_digests') -%}
{%- endif %}

with mentions as (
    select * from {{ ref('int_round_mentions_converted') }}
),

salt as (
    select coalesce(sum(hash(f)), 0)
           + hash('{{ var("round_amount_tolerance", 0.08) }}|{{ var("round_date_slack_days", 31) }}|{{ var("round_disagreeing_ratio", 1.5) }}')
           as salt
    from {{ ref('stg_fx_rates') }} as f
),

-- the articles of the companies' mentions: the article, its figures, its mentions' ids
article_rows as (
    select a.article_id, hash(a) as h
    from {{ ref('int_articles') }} as a
    semi join mentions as m using (article_id)
    union all
    select f.article_id, hash(f)
    from {{ ref('stg_figures') }} as f
    semi join mentions as m using (article_id)
    union all
    select article_id, hash('mention', mention_id)
    from mentions
),

article_digests as (
    select article_id, sum(h) as h from article_rows group by article_id
),

company_articles as (
    select distinct company_key, article_id from mentions
),

investor_rows as (
    select m.company_key, hash(m.mention_id, i.article_id, trim(i.investor), i.is_lead, n.canonical_key, n.display_name) as h
    from {{ ref('stg_investor_mentions') }} as i
    join mentions as m using (mention_id)
    left join {{ ref('int_entity_names') }} as n on n.kind = 'investor' and n.name = trim(i.investor)
),

company_rows as (
    select company_key, hash(m) as h from mentions as m
    union all
    select company_key, h from investor_rows
    union all
    select ca.company_key, ad.h
    from company_articles as ca
    join article_digests as ad using (article_id)
    union all
    select l.company_key, hash('location', l.city, l.country)
    from {{ ref('int_company_locations') }} as l
    semi join mentions as m using (company_key)
),

current_digests as (
    select company_key, sum(h) + (select salt from salt) as digest
    from company_rows
    group by company_key
),

previous_digests as (
    {%- if previous is not none %}
    select company_key, digest from {{ previous }}
    {%- else %}
    select cast(null as varchar) as company_key, cast(null as hugeint) as digest where false
    {%- endif %}
),

compared as (
    select
        coalesce(c.company_key, p.company_key) as company_key,
        c.digest,
        p.digest as previous_digest,
        case
            when p.company_key is null then 'new'
            when c.company_key is null then 'gone'
            when c.digest <> p.digest then 'changed'
        end as change
    from current_digests as c
    full join previous_digests as p using (company_key)
)

select
    company_key,
    digest,
    previous_digest,
    change,
    change is not null as is_dirty,
    case when change is not null then '{{ invocation_id }}' end as changed_by_invocation
from compared
