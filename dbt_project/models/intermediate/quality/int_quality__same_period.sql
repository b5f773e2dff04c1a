-- Rule 5 (text part), a period compared with itself: "au premier trimestre 2024 …
-- contre … sur la même période de 2024". Warning: the comparison period is most
-- likely the year before, and the figures compared cannot both be right.
--
-- A regular expression over every sentence that states a money figure (raw.figures
-- and raw.round_mentions quotes): a period with a year, then a comparison word
-- (contre, par rapport, compared, against, versus), then "la même période / the
-- same period / le même trimestre" with a year; a warning when the two years are
-- equal.

{%- set may_match -%}
    regexp_matches(quote, '(?i)même|meme|same')
{%- endset %}

-- The pattern below needs "même", "meme" or "same" in the lowercased sentence: an
-- article with no such word cannot match, so its sentences are neither split nor
-- deduplicated (they are about 99 % of all sentences). The test is one
-- case-insensitive regular expression on the text as written (lowercasing 350 MB
-- of text three times cost 12 s of CPU at 100k articles); its case folding accepts
-- every spelling whose lowercase is one of the words (and a few more, "ſame"),
-- which only lets a few more articles through to the exact pattern.
with keyword_articles as (
    select article_id from {{ ref('stg_articles') }}
    where {{ may_match | replace('quote', 'text') }}
    union
    select article_id from {{ ref('stg_figures') }} where {{ may_match }}
    union
    select article_id from {{ ref('stg_round_mentions') }} where {{ may_match }}
),

sentences as (
    select article_id, quote from {{ ref('stg_figures') }}
    where quote is not null and article_id in (select article_id from keyword_articles)
    union
    select article_id, quote from {{ ref('stg_round_mentions') }}
    where quote is not null and article_id in (select article_id from keyword_articles)
    union
    -- every sentence of the text too (a comparison of percentages states no money figure);
    -- unnest in the select list: a lateral join would join the sentences back to
    -- their article on the whole text
    select article_id, trim(sentence) as quote
    from (
        select article_id, unnest(string_split_regex(coalesce(text, ''), '[.!?…]+\s+|\n+')) as sentence
        from {{ ref('stg_articles') }}
        where article_id in (select article_id from keyword_articles)
    )
    where trim(sentence) <> ''
),

deduplicated as (
    -- a sentence found both as a figure's quote and in the text counts once: the
    -- longest form (ties: the greatest), by aggregation (a window partitioned by
    -- every sentence is far slower)
    select article_id, arg_max(quote, (length(quote), quote)) as quote
    from sentences
    group by article_id, regexp_replace(lower(quote), '[^a-z0-9]+', '', 'g')
),

matched as (
    select
        article_id,
        quote,
        regexp_extract(
            lower(quote),
            '(?:trimestre|semestre|quarter|half|mois|month|année|annee|year|exercice|en|in|of|de|d'')\s+((?:19|20)[0-9]{2})\b.*?(?:contre|par rapport|compar[a-zé]*|against|versus|vs\.?)\s.*?(?:même|meme|same)\s+(?:période|periode|period|trimestre|quarter|semestre|half|mois|month|année|annee|year)\s+(?:de\s+l''année\s+|de\s+|d''|of\s+|in\s+|en\s+|last\s+year\s+)?((?:19|20)[0-9]{2})\b',
            ['period_year', 'compared_year']
        ) as years,
        regexp_extract(
            lower(quote),
            '((?:premier|1er|deuxième|second|troisième|quatrième|first|third|fourth|q[1-4]|t[1-4]|h[12]|s[12])\s+(?:trimestre|semestre|quarter|half)\s+(?:de\s+|d''|of\s+)?(?:19|20)[0-9]{2})'
        ) as period_text
    from deduplicated
),

found as (
    select * from matched
    where years.period_year <> ''
      and years.period_year = years.compared_year
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
        || case when f.period_text <> '' then '"' || f.period_text || '"' else 'a period of ' || f.years.period_year end
        || ' with "the same period of ' || f.years.compared_year || '": a period compared with itself;'
        || ' the comparison year is probably ' || (cast(f.years.compared_year as integer) - 1)
        || ', so one of the two figures is dated wrong' as message,
    'same period of ' || f.years.compared_year || ' compared with ' || f.years.period_year as observed,
    'a comparison period earlier than ' || f.years.period_year as expected,
    f.quote,
    true as is_finding
from found f
left join tied t on t.article_id = f.article_id and t.quote = f.quote
left join (select article_id, path from {{ ref('int_articles') }}) a on a.article_id = f.article_id
