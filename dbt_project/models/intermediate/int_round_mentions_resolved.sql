-- One row per round mention with its round (interfaces.md §4): what the quality
-- checks compare, each mention converted at its own date.
{{ by_company_config('company_key') }}

select
    c.round_id,
    m.mention_id,
    m.article_id,
    m.company,
    m.company_key,
    m.amount,
    m.currency,
    m.amount_text,
    m.currency_inferred,
    m.amount_qualifier,
    m.valuation,
    m.valuation_currency,
    m.valuation_text,
    m.round_type,
    m.announced_on,
    m.announced_precision,
    m.is_recalled,
    m.article_published_on,
    m.fx_rate_date,
    m.amount_eur,
    m.amount_usd,
    m.valuation_eur,
    m.valuation_usd,
    m.quote,
    m.valuation_basis,
    m.char_start,
    m.char_end,
    c.anchor_mention_id
from {{ ref('int_round_mentions_converted') }} as m
join {{ ref('int_round_clusters') }} as c using (mention_id)
where {{ only_dirty('m.company_key') }} and {{ only_dirty('c.company_key') }}
