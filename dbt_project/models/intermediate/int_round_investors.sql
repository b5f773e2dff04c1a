-- One row per round and investor (resolved), lead when any article says so.
{{ by_company_config('round_id') }}

with mentions as (
    select i.investor, i.is_lead, i.is_existing, r.round_id, r.article_id
    from {{ ref('stg_investor_mentions') }} as i
    join {{ ref('int_round_mentions_resolved') }} as r using (mention_id)
    where {{ only_dirty('r.company_key') }}
),

names as (
    select name, canonical_key, display_name
    from {{ ref('int_entity_names') }}
    where kind = 'investor'
)

select
    m.round_id,
    n.canonical_key as investor_key,
    n.display_name as investor,
    bool_or(m.is_lead) as is_lead,
    count(*) filter (where m.is_lead) as lead_mentions,
    {{ distinct_count('m.article_id') }} as article_count
from mentions as m
join names as n on n.name = trim(m.investor)
group by m.round_id, n.canonical_key, n.display_name
