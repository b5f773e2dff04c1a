select
    cast(article_id as varchar) as article_id,
    cast(lang as varchar) as lang,
    cast(published_on as date) as published_on,
    cast(published_precision as varchar) as published_precision,
    cast(published_inferred as boolean) as published_inferred
from {{ source('raw', 'article_facts') }}
