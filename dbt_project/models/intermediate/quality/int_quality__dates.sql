-- Rule 5, dates (the same-period comparison is int_quality__same_period):
--  * round_after_article: a round announced after the article that reports it.
--    announced_on is the first day of its period, so "août 2023" in an article of
--    24 August 2023 is fine. Error when the article's date was given (front matter
--    or manifest); warning when the pipeline inferred it from the text, since the
--    inference may be what is wrong.
--  * recalled_after_recalling: a round recalled in passing dated after the round the
--    same article announces (the whole period of the recalled round starts after the
--    whole period of the announced one ends). Error.
{{ by_company_config('round_id') }}

with mentions as (
    select * from {{ ref('int_quality__mentions') }}
    where {{ only_dirty('company_key') }}
),

dated as (
    select
        *,
        case announced_precision
            when 'month' then cast(announced_on + interval 1 month - interval 1 day as date)
            when 'quarter' then cast(announced_on + interval 3 month - interval 1 day as date)
            when 'year' then cast(announced_on + interval 1 year - interval 1 day as date)
            else announced_on
        end as announced_end
    from mentions
),

after_article as (
    select
        'round_after_article' as check_name,
        case when published_inferred then 'warning' else 'error' end as severity,
        round_id,
        article_id,
        round_label || ' ' || amount_label || ': dated ' || strftime(announced_on, '%Y-%m-%d')
            || coalesce(' (' || announced_precision || ')', '')
            || ' but reported by article ' || article_label || ' published on ' || strftime(article_published_on, '%Y-%m-%d')
            || case when published_inferred then ' (a date inferred from the text)' else '' end
            || ': a round cannot be announced after the article that reports it; check the year of the round'
            || ' or the article''s date' as message,
        'announced_on ' || strftime(announced_on, '%Y-%m-%d') as observed,
        'announced_on <= ' || strftime(article_published_on, '%Y-%m-%d') as expected,
        quote,
        true as is_finding
    from dated
    where announced_on is not null
      and article_published_on is not null
      and announced_on > article_published_on
),

recalled_after_recalling as (
    select
        'recalled_after_recalling' as check_name,
        'error' as severity,
        r.round_id,
        r.article_id,
        r.round_label || ' ' || r.amount_label || ', recalled as an earlier round in article ' || r.article_label
            || ', is dated ' || strftime(r.announced_on, '%Y-%m-%d') || coalesce(' (' || r.announced_precision || ')', '')
            || ', after the round the article announces (' || a.round_label || ' ' || a.amount_label || ', '
            || strftime(a.announced_on, '%Y-%m-%d') || coalesce(' (' || a.announced_precision || ')', '')
            || '): one of the two dates is wrong' as message,
        'recalled round dated ' || strftime(r.announced_on, '%Y-%m-%d') as observed,
        'before ' || strftime(a.announced_end, '%Y-%m-%d') || ' (date of the announced round ' || a.round_id || ')' as expected,
        case when r.quote = a.quote then r.quote else r.quote || ' | ' || a.quote end as quote,
        true as is_finding
    from dated r
    join dated a
      on a.article_id = r.article_id
     and a.company_key = r.company_key
     and a.round_id <> r.round_id
     and not a.is_recalled
    where r.is_recalled
      and r.announced_on is not null
      and a.announced_on is not null
      and r.announced_on > a.announced_end
    qualify row_number() over (partition by r.mention_id order by a.announced_on) = 1
)

select * from after_article
union all
select * from recalled_after_recalling
