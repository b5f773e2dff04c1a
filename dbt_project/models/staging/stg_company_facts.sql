select
    cast(article_id as varchar) as article_id,
    cast(company as varchar) as company,
    nullif(trim(cast(city as varchar)), '') as city,
    upper(nullif(trim(cast(country as varchar)), '')) as country,
    cast(quote as varchar) as quote,
    cast(char_start as bigint) as char_start,
    cast(char_end as bigint) as char_end
from {{ source('raw', 'company_facts') }}
