-- One row per investor, typed by general rules on its name (macros/investor_type.sql).
with participations as (
    select ri.investor, ri.investor_key, ri.is_lead, r.round_id, r.company, r.amount_eur, r.announced_on
    from {{ ref('int_round_investors') }} as ri
    join {{ ref('rounds') }} as r using (round_id)
),

known_keys as (
    select distinct canonical_key as entity_key from {{ ref('int_entity_names') }}
),

company_keys as (
    select distinct canonical_key as entity_key from {{ ref('int_entity_names') }} where kind = 'company'
),

investor_keys as (
    select distinct investor_key as entity_key from {{ ref('int_round_investors') }}
),

per_investor as (
    select
        investor,
        min(investor_key) as investor_key,
        count(distinct round_id) as rounds_count,
        count(distinct round_id) filter (where is_lead) as lead_count,
        count(distinct company) as companies_count,
        min(announced_on) as first_round_on,
        max(announced_on) as last_round_on
    from participations
    group by investor
),

totals as (
    select investor, sum(amount_eur::decimal(38, 2))::double as total_rounds_eur  -- cents, exactly: whatever the sum order
    from (select distinct investor, round_id, amount_eur from participations)
    group by investor
),

typed as (
    select
        p.*,
        -- "<X> Ventures/Capital/Investments" where X is itself a company or investor here
        regexp_replace(p.investor_key, ' (ventures|venture|capital|investments|invest)$', '') as parent_key
    from per_investor as p
)

select
    cast(t.investor as varchar) as investor,
    cast({{ investor_type('t.investor', 't.investor_key',
            '(t.parent_key <> t.investor_key and exists (select 1 from known_keys as k where k.entity_key = t.parent_key))',
            '(exists (select 1 from company_keys as c where c.entity_key = t.investor_key)
              or exists (select 1 from investor_keys as i where i.entity_key = t.investor_key || \' ventures\')
              or exists (select 1 from investor_keys as i where i.entity_key = t.investor_key || \' capital\')
              or exists (select 1 from investor_keys as i where i.entity_key = t.investor_key || \' investments\'))') }}
        as varchar) as investor_type,
    cast(t.rounds_count as integer) as rounds_count,
    cast(t.lead_count as integer) as lead_count,
    cast(t.companies_count as integer) as companies_count,
    cast(s.total_rounds_eur as double) as total_rounds_eur,
    cast(t.first_round_on as date) as first_round_on,
    cast(t.last_round_on as date) as last_round_on
from typed as t
left join totals as s using (investor)
