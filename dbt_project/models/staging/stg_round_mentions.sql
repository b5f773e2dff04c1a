-- Round mentions as the parser states them, typed, with vocabularies enforced
-- (a value outside the contract's vocabulary becomes NULL) and coarse dates moved
-- to the first day of their period.
with source as (
    select
        *,
        lower(trim(cast(announced_precision as varchar))) as precision_text,
        lower(trim(cast(round_type as varchar))) as round_type_text,
        lower(trim(cast(amount_qualifier as varchar))) as qualifier_text
    from {{ source('raw', 'round_mentions') }}
)

select
    cast(mention_id as varchar) as mention_id,
    cast(article_id as varchar) as article_id,
    cast(company as varchar) as company,
    cast(amount as double) as amount,
    upper(trim(cast(currency as varchar))) as currency,
    coalesce(cast(currency_inferred as boolean), false) as currency_inferred,
    coalesce({{ in_vocabulary('qualifier_text', qualifier_values()) }}, 'exact') as amount_qualifier,
    cast(amount_text as varchar) as amount_text,
    cast(valuation as double) as valuation,
    upper(trim(cast(valuation_currency as varchar))) as valuation_currency,
    cast(valuation_text as varchar) as valuation_text,
    cast(valuation_basis as varchar) as valuation_basis,
    {{ in_vocabulary('round_type_text', round_type_values()) }} as round_type,
    case
        when precision_text in ('month', 'quarter', 'year')
            then cast(date_trunc(precision_text, cast(announced_on as date)) as date)
        else cast(announced_on as date)
    end as announced_on,
    case
        when announced_on is not null then coalesce({{ in_vocabulary('precision_text', precision_values()) }}, 'day')
    end as announced_precision,
    coalesce(cast(is_recalled as boolean), false) as is_recalled,
    cast(quote as varchar) as quote,
    cast(char_start as bigint) as char_start,
    cast(char_end as bigint) as char_end
from source
