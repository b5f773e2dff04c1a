-- One row per article with the best known publication date: the parser's (given
-- or inferred from the text), else the metadata's.
select
    a.article_id,
    a.path,
    a.title,
    coalesce(f.lang, a.lang) as lang,
    coalesce(f.published_on, a.published_on) as published_on,
    case
        when f.published_on is not null then coalesce(f.published_precision, 'day')
        when a.published_on is not null then 'day'
    end as published_precision,
    coalesce(f.published_inferred, false) and f.published_on is not null as published_inferred,
    a.source,
    a.url
from {{ ref('stg_articles') }} as a
left join {{ ref('stg_article_facts') }} as f using (article_id)
