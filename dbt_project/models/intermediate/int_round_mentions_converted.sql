-- Each round mention with its company resolved and its figures converted to EUR
-- and USD at the ECB rate of its own date: announced_on, else the article's
-- publication date; the last business day on or before it (ASOF join).
with mentions as (
    select
        m.*,
        a.published_on as article_published_on,
        coalesce(m.announced_on, a.published_on) as fx_basis_on
    from {{ ref('stg_round_mentions') }} as m
    left join {{ ref('int_articles') }} as a using (article_id)
    where m.amount is not null and m.amount > 0 and m.currency is not null
),

companies as (
    select name, canonical_key, display_name
    from {{ ref('int_entity_names') }}
    where kind = 'company'
),

fx as (
    select rate_date, currency, per_eur from {{ ref('stg_fx_rates') }}
),

amount_fx as (
    select m.mention_id, r.rate_date, r.per_eur
    from mentions as m
    asof join fx as r on r.currency = m.currency and m.fx_basis_on >= r.rate_date
),

usd_fx as (
    select m.mention_id, r.per_eur
    from mentions as m
    asof join fx as r on r.currency = 'USD' and m.fx_basis_on >= r.rate_date
),

-- the investors each mention names (resolved): shared investors are evidence of one round
mention_investors as (
    select i.mention_id, list(distinct n.canonical_key order by n.canonical_key) as investor_keys
    from {{ ref('stg_investor_mentions') }} as i
    join {{ ref('int_entity_names') }} as n on n.kind = 'investor' and n.name = trim(i.investor)
    group by i.mention_id
),

valuation_fx as (
    select m.mention_id, r.per_eur
    from mentions as m
    asof join fx as r on r.currency = m.valuation_currency and m.fx_basis_on >= r.rate_date
    where m.valuation is not null
)

select
    m.mention_id,
    m.article_id,
    coalesce(c.display_name, trim(m.company)) as company,
    coalesce(c.canonical_key, {{ name_key('m.company') }}) as company_key,
    m.company as company_as_written,
    m.amount,
    m.currency,
    m.amount_text,
    m.currency_inferred,
    m.amount_qualifier,
    m.valuation,
    m.valuation_currency,
    m.valuation_text,
    m.valuation_basis,
    m.round_type,
    m.announced_on,
    m.announced_precision,
    m.is_recalled,
    m.article_published_on,
    af.rate_date as fx_rate_date,
    m.amount / af.per_eur as amount_eur,
    m.amount / af.per_eur * uf.per_eur as amount_usd,
    m.valuation / vf.per_eur as valuation_eur,
    m.valuation / vf.per_eur * uf.per_eur as valuation_usd,
    m.quote,
    m.char_start,
    m.char_end,
    coalesce(mi.investor_keys, []) as investor_keys
from mentions as m
left join companies as c on c.name = trim(m.company)
left join amount_fx as af using (mention_id)
left join usd_fx as uf using (mention_id)
left join valuation_fx as vf using (mention_id)
left join mention_investors as mi using (mention_id)
where coalesce(c.canonical_key, {{ name_key('m.company') }}) is not null
