-- Every company and investor name as written -> its entity (canonical_key) and
-- display name. Names the alias table does not know resolve to their own key,
-- shown as their most frequent form (ties: the longest).
with written as (
    select 'company' as kind, trim(company) as name from {{ ref('stg_round_mentions') }}
    union all
    select 'company', trim(company) from {{ ref('stg_company_facts') }}
    union all
    select 'investor', trim(investor) from {{ ref('stg_investor_mentions') }}
),

written_counts as (
    select kind, name, count(*) as n
    from written
    where name is not null and name <> ''
    group by kind, name
),

-- the key of each distinct name, computed once per name after the grouping:
-- MATERIALIZED, or DuckDB pushes the `alias_key is not null` filter below the
-- grouping and computes name_key on every name as written (4x the rows, 20 s of
-- CPU at 100k articles instead of 1)
counted as materialized (
    select kind, name, {{ name_key('name') }} as alias_key, n
    from written_counts
),

keyed as (
    select
        c.kind,
        c.name,
        c.n,
        c.alias_key,
        coalesce(a.canonical_key, c.alias_key) as canonical_key,
        a.display_name as alias_display_name
    from counted as c
    left join {{ ref('int_entity_aliases') }} as a on a.kind = c.kind and a.alias_key = c.alias_key
    where c.alias_key is not null
),

fallback as (
    select kind, canonical_key, name as display_name
    from (select kind, canonical_key, name, sum(n) as sum_n from keyed group by all)
    qualify row_number() over (
        partition by kind, canonical_key order by sum_n desc, length(name) desc, name
    ) = 1
),

pinned as (
    select kind, canonical_key, min(alias_display_name) as display_name
    from keyed
    where alias_display_name is not null
    group by kind, canonical_key
)

select
    k.kind,
    k.name,
    k.alias_key,
    k.canonical_key,
    coalesce(p.display_name, f.display_name) as display_name,
    k.n as occurrences
from keyed as k
left join pinned as p using (kind, canonical_key)
left join fallback as f using (kind, canonical_key)
