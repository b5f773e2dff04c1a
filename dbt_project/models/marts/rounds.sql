-- One row per funding round, however many articles report it.
with rounds as (
    select * from {{ ref('int_rounds') }}
),

fx as (
    select rate_date, currency, per_eur from {{ ref('stg_fx_rates') }}
),

amount_fx as (
    select r.round_id, f.rate_date, f.per_eur
    from rounds as r
    asof join fx as f on f.currency = r.currency and r.fx_basis_on >= f.rate_date
),

usd_fx as (
    select r.round_id, f.per_eur
    from rounds as r
    asof join fx as f on f.currency = 'USD' and r.fx_basis_on >= f.rate_date
),

valuation_fx as (
    select r.round_id, f.per_eur
    from rounds as r
    asof join fx as f on f.currency = r.valuation_currency and r.fx_basis_on >= f.rate_date
    where r.valuation is not null
),

investors as (
    select
        round_id,
        count(distinct investor) as investor_count
    from {{ ref('int_round_investors') }}
    group by round_id
),

leads as (
    select round_id, investor as lead_investor
    from {{ ref('int_round_investors') }}
    where is_lead
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
    cast(r.amount / af.per_eur as double) as amount_eur,
    cast(r.amount / af.per_eur * uf.per_eur as double) as amount_usd,
    cast(af.rate_date as date) as fx_rate_date,
    cast(r.valuation as double) as valuation,
    cast(r.valuation_currency as varchar) as valuation_currency,
    cast(r.valuation / vf.per_eur as double) as valuation_eur,
    cast(r.valuation / vf.per_eur * uf.per_eur as double) as valuation_usd,
    cast(l.lead_investor as varchar) as lead_investor,
    cast(coalesce(i.investor_count, 0) as integer) as investor_count,
    cast(loc.city as varchar) as city,
    cast(loc.country as varchar) as country,
    cast(r.source_count as integer) as source_count,
    cast(r.company_key as varchar) as company_key,
    cast(r.primary_article_id as varchar) as primary_article_id,
    cast(r.mention_count as integer) as mention_count
from rounds as r
left join amount_fx as af using (round_id)
left join usd_fx as uf using (round_id)
left join valuation_fx as vf using (round_id)
left join investors as i using (round_id)
left join leads as l using (round_id)
left join {{ ref('int_company_locations') }} as loc using (company_key)
