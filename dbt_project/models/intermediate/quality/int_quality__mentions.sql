-- The round mentions as the quality rules read them: int_round_mentions_resolved
-- plus what a message needs to be read by a person (the article's file name, the
-- round's stage, a short label of the amount). Not a rule.
{{ by_company_config('company_key') }}

with mentions as (
    select * from {{ ref('int_round_mentions_resolved') }}
    where {{ only_dirty('company_key') }}
),

articles as (
    select
        article_id,
        -- "000_4f8d6aa0e86a1f9e" for raw/000_4f8d6aa0e86a1f9e.txt (once per article, not per mention)
        nullif(regexp_replace(regexp_replace(path, '^.*[/\\]', ''), '\.[A-Za-z0-9]+$', ''), '') as file_label,
        published_inferred
    from {{ ref('int_articles') }}
    {%- if by_company_incremental() %}
    where article_id in (select article_id from mentions)
    {%- endif %}
),

labelled as (
    select
        m.*,
        -- the article's file name; the id when the path is unknown
        coalesce(a.file_label, m.article_id) as article_label,
        coalesce(a.published_inferred, false) as published_inferred,
        -- the round's stage, whichever mention states it
        s.round_stage
    from mentions m
    left join articles a using (article_id)
    -- (a grouping joined back: a window partitioned by round sorts every mention)
    left join (
        select round_id, max(round_type) as round_stage from mentions group by round_id
    ) s on s.round_id = m.round_id
)

select
    *,
    company
        || case
            when round_stage is null then ''
            when round_stage like 'series_%' then ' Series ' || upper(substr(round_stage, 8))
            else ' ' || replace(round_stage, '_', '-')
           end as round_label,
    case
        when amount is null then null
        when amount_qualifier = 'approx' then '~'
        when amount_qualifier = 'at_least' then '>='
        when amount_qualifier = 'at_most' then '<='
        else ''
    end
    || case
        when amount is null then null
        when abs(amount) >= 1e9 then regexp_replace(printf('%.3f', amount / 1e9), '\.?0+$', '') || ' bn '
        when abs(amount) >= 1e6 then regexp_replace(printf('%.3f', amount / 1e6), '\.?0+$', '') || ' M '
        else printf('%,.0f', amount) || ' '
       end
    || currency as amount_label
from labelled
