-- Rule 5 (text part), the scan: the sentences that compare a period with "the same
-- period" of a year, article by article (int_quality__same_period turns them into
-- warnings). One row per comparison found, and one row with a null quote for an
-- article read without any: every article read has a row, so an incremental build
-- reads only the articles it has not read with the same scan key (macros/by_article.sql).
--
-- A regular expression over every sentence that states a money figure (raw.figures
-- and raw.round_mentions quotes) and every sentence of the text: a period with a
-- year, then a comparison word (contre, par rapport, compared, against, versus),
-- then "la même période / the same period / le même trimestre" with a year.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_stale_scans() }}",
) }}

{%- set may_match -%}
    regexp_matches(quote, '(?i)même|meme|same')
{%- endset %}

with keys as (
    {{ article_scan_keys() }}
),

-- the articles to read: all of them on a full build, else those whose key is new
todo as (
    select article_id, scan_key from keys
    {%- if is_incremental() %}
    where not exists (
        select 1 from {{ this }} as t where t.article_id = keys.article_id and t.scan_key = keys.scan_key
    )
    {%- endif %}
),

-- the texts of the articles to read, kept apart on an incremental build (materialized: a few
-- MB; a full build streams every text instead), so that the keyword filter runs on them
-- only and is not pushed down into the scan of every article's text
texts as {{ "materialized" if is_incremental() else "not materialized" }} (
    select a.article_id, a.text
    from {{ ref('stg_articles') }} as a
    semi join todo as t using (article_id)
),

-- The pattern below needs "même", "meme" or "same" in the lowercased sentence: an
-- article with no such word cannot match, so its sentences are neither split nor
-- deduplicated (they are about 99 % of all sentences). The test is one
-- case-insensitive regular expression on the text as written (lowercasing 350 MB
-- of text three times cost 12 s of CPU at 100k articles); its case folding accepts
-- every spelling whose lowercase is one of the words (and a few more, "ſame"),
-- which only lets a few more articles through to the exact pattern.
keyword_articles as (
    select article_id from texts
    where {{ may_match | replace('quote', 'text') }}
    union
    select article_id from {{ ref('stg_figures') }}
    where article_id in (select article_id from todo) and {{ may_match }}
    union
    select article_id from {{ ref('stg_round_mentions') }}
    where article_id in (select article_id from todo) and {{ may_match }}
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
        from texts
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
    select article_id, quote, years.period_year, years.compared_year, period_text
    from matched
    where years.period_year <> ''
)

select
    t.article_id,
    t.scan_key,
    f.quote,
    f.period_year,
    f.compared_year,
    f.period_text
from todo as t
left join found as f using (article_id)
