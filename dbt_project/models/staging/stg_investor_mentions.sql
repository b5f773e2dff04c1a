select
    cast(mention_id as varchar) as mention_id,
    cast(article_id as varchar) as article_id,
    cast(investor as varchar) as investor,
    coalesce(cast(is_lead as boolean), false) as is_lead,
    cast(is_existing as boolean) as is_existing,
    cast(quote as varchar) as quote,
    cast(char_start as bigint) as char_start,
    cast(char_end as bigint) as char_end
from {{ source('raw', 'investor_mentions') }}
where investor is not null and trim(investor) <> ''
