select
    cast(figure_id as varchar) as figure_id,
    cast(article_id as varchar) as article_id,
    cast(sentence_idx as integer) as sentence_idx,
    cast(char_start as bigint) as char_start,
    cast(char_end as bigint) as char_end,
    cast(raw_text as varchar) as raw_text,
    cast(amount as double) as amount,
    upper(cast(currency as varchar)) as currency,
    cast(currency_inferred as boolean) as currency_inferred,
    cast(qualifier as varchar) as qualifier,
    cast(kind as varchar) as kind,
    cast(company as varchar) as company,
    cast(quote as varchar) as quote
from {{ source('raw', 'figures') }}
