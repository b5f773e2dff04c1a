-- Rule 5 (text part), a period compared with itself: "au premier trimestre 2024 …
-- contre … sur la même période de 2024". Warning: the comparison period is most
-- likely the year before, and the figures compared cannot both be right.
--
-- The sentences come from int_quality__period_comparisons (read article by article);
-- a warning when the two years are equal, tied to the round the sentence is about.
with found as (
    select article_id, quote, period_year, compared_year, period_text
    from {{ ref('int_quality__period_comparisons') }}
    where quote is not null and period_year = compared_year
),

-- the round the sentence is about, when it names a company with a round in the article
tied as (
    select
        f.article_id, f.quote, m.round_id, m.company
    from found f
    join {{ ref('int_quality__mentions') }} m
      on m.article_id = f.article_id
     and (m.quote = f.quote or strpos(lower(f.quote), lower(m.company)) > 0)
    qualify row_number() over (partition by f.article_id, f.quote
                               order by (m.quote = f.quote) desc, m.is_recalled, m.mention_id) = 1
)

select
    'same_period' as check_name,
    'warning' as severity,
    t.round_id,
    f.article_id,
    coalesce(t.company || ': article ', 'Article ')
        || coalesce(nullif(regexp_replace(regexp_replace(a.path, '^.*[/\\]', ''), '\.[A-Za-z0-9]+$', ''), ''), f.article_id)
        || ' compares '
        || case when f.period_text <> '' then '"' || f.period_text || '"' else 'a period of ' || f.period_year end
        || ' with "the same period of ' || f.compared_year || '": a period compared with itself;'
        || ' the comparison year is probably ' || (cast(f.compared_year as integer) - 1)
        || ', so one of the two figures is dated wrong' as message,
    'same period of ' || f.compared_year || ' compared with ' || f.period_year as observed,
    'a comparison period earlier than ' || f.period_year as expected,
    f.quote,
    true as is_finding
from found f
left join tied t on t.article_id = f.article_id and t.quote = f.quote
left join (select article_id, path from {{ ref('int_articles') }}) a on a.article_id = f.article_id
