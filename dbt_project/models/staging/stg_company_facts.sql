select
    cast(article_id as varchar) as article_id,
    cast(company as varchar) as company,
    nullif(trim(cast(city as varchar)), '') as city,
    upper(nullif(trim(cast(country as varchar)), '')) as country,
    cast(quote as varchar) as quote,
    cast(char_start as bigint) as char_start,
    cast(char_end as bigint) as char_end,
    -- 'stated' (the sentence says where the company is) or 'setting' (only the article's
    -- setting: a title "À Paris, …" or a dateline "LYON —")
    coalesce(cast(basis as varchar), 'stated') as basis
from {{ source('raw', 'company_facts') }}
