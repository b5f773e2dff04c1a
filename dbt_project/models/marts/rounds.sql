-- One row per funding round, however many articles report it.
{{ by_company_config('company_key') }}

with rounds as (
    select * from {{ ref('int_rounds') }}
    where {{ only_dirty('company_key') }}
),

fx as (
    select rate_date, currency, per_eur from {{ ref('stg_fx_rates') }}
),

-- each round at the ECB rate of its date (macros/ecb_conversions.sql)
converted as (
    {{ ecb_conversions('rounds', 'round_id', 'fx_basis_on', 'fx') }}
),

investors as (
    select
        round_id,
        count(distinct investor) as investor_count
    from {{ ref('int_round_investors') }}
    where {{ only_dirty_rounds('round_id') }}
    group by round_id
),

leads as (
    select round_id, investor as lead_investor
    from {{ ref('int_round_investors') }}
    where is_lead and {{ only_dirty_rounds('round_id') }}
    qualify row_number() over (partition by round_id order by lead_mentions desc, investor) = 1
)

select
    cast(r.round_id as varchar) as round_id,
    cast(r.company as varchar) as company,
    cast(r.round_type as varchar) as round_type,
    cast(r.announced_on as date) as announced_on,
    cast(r.announced_precision as varchar) as announced_precision,
    cast(r.amount as double) as amount,
    cast(r.currency as varchar) as currency,
    cast(r.amount_qualifier as varchar) as amount_qualifier,
    cast(cv.amount_eur as double) as amount_eur,
    cast(cv.amount_usd as double) as amount_usd,
    cast(cv.fx_rate_date as date) as fx_rate_date,
    cast(r.valuation as double) as valuation,
    cast(r.valuation_currency as varchar) as valuation_currency,
    cast(cv.valuation_eur as double) as valuation_eur,
    cast(cv.valuation_usd as double) as valuation_usd,
    cast(l.lead_investor as varchar) as lead_investor,
    cast(coalesce(i.investor_count, 0) as integer) as investor_count,
    cast(loc.city as varchar) as city,
    cast(loc.country as varchar) as country,
    cast(r.source_count as integer) as source_count,
    cast(r.company_key as varchar) as company_key,
    cast(r.primary_article_id as varchar) as primary_article_id,
    cast(r.mention_count as integer) as mention_count
from rounds as r
left join converted as cv using (round_id)
left join investors as i using (round_id)
left join leads as l using (round_id)
left join {{ ref('int_company_locations') }} as loc using (company_key)
