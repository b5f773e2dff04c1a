select
    cast(article_id as varchar) as article_id,
    cast(path as varchar) as path,
    cast(title as varchar) as title,
    cast(text as varchar) as text,
    cast(lang as varchar) as lang,
    cast(published_on as date) as published_on,
    cast(source as varchar) as source,
    cast(url as varchar) as url
from {{ source('raw', 'articles') }}
