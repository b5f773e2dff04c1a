select
    cast(mention_id as varchar) as mention_id,
    cast(article_id as varchar) as article_id,
    cast(company as varchar) as company,
    cast(amount as double) as amount,
    upper(cast(currency as varchar)) as currency,
    coalesce(cast(currency_inferred as boolean), false) as currency_inferred,
    coalesce(cast(amount_qualifier as varchar), 'exact') as amount_qualifier,
    cast(amount_text as varchar) as amount_text,
    cast(valuation as double) as valuation,
    upper(cast(valuation_currency as varchar)) as valuation_currency,
    cast(valuation_text as varchar) as valuation_text,
    cast(valuation_basis as varchar) as valuation_basis,
    cast(round_type as varchar) as round_type,
    -- first day of the period when only a month, quarter or year is known
    case
        when cast(announced_precision as varchar) in ('month', 'quarter', 'year')
            then cast(date_trunc(cast(announced_precision as varchar), cast(announced_on as date)) as date)
        else cast(announced_on as date)
    end as announced_on,
    case when announced_on is not null then cast(announced_precision as varchar) end as announced_precision,
    coalesce(cast(is_recalled as boolean), false) as is_recalled,
    cast(quote as varchar) as quote,
    cast(char_start as bigint) as char_start,
    cast(char_end as bigint) as char_end
from {{ source('raw', 'round_mentions') }}
