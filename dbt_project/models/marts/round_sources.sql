-- Provenance: one row per round and article that reports it, with the sentence
-- that states the figure (the article's primary mention of the round).
{{ by_company_config('round_id') }}

select
    cast(round_id as varchar) as round_id,
    cast(article_id as varchar) as article_id,
    cast(quote as varchar) as quote,
    cast(amount as double) as reported_amount,
    cast(currency as varchar) as reported_currency,
    cast(valuation as double) as reported_valuation,
    cast(valuation_currency as varchar) as reported_valuation_currency,
    cast(mention_id as varchar) as mention_id,
    cast(is_recalled as boolean) as is_recalled,
    cast(article_published_on as date) as article_published_on
from {{ ref('int_round_mentions_resolved') }}
where {{ only_dirty('company_key') }}
qualify row_number() over (
    partition by round_id, article_id
    order by is_recalled, currency_inferred, (valuation is not null) desc, char_start, mention_id
) = 1
