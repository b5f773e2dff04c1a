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

-- each mention at the ECB rate of its own date (macros/ecb_conversions.sql)
converted as (
    {{ ecb_conversions('mentions', 'mention_id', 'fx_basis_on', 'fx') }}
),

-- the investors each mention names (resolved): shared investors are evidence of one round
-- (distinct pairs first, then one sorted list per mention: a DISTINCT aggregate is
-- planned as several aggregations joined back together)
mention_investors as (
    select mention_id, list(canonical_key order by canonical_key) as investor_keys
    from (
        select distinct i.mention_id, n.canonical_key
        from {{ ref('stg_investor_mentions') }} as i
        join {{ ref('int_entity_names') }} as n on n.kind = 'investor' and n.name = trim(i.investor)
    )
    group by mention_id
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
    cv.fx_rate_date,
    cv.amount_eur,
    cv.amount_usd,
    cv.valuation_eur,
    cv.valuation_usd,
    m.quote,
    m.char_start,
    m.char_end,
    coalesce(mi.investor_keys, []) as investor_keys
from mentions as m
left join companies as c on c.name = trim(m.company)
left join converted as cv using (mention_id)
left join mention_investors as mi using (mention_id)
where coalesce(c.canonical_key, {{ name_key('m.company') }}) is not null
