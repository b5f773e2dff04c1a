-- One row per round: representative values chosen among its mentions.
--   amount, currency, qualifier: the primary mention (not recalled in passing,
--       currency printed rather than inferred, most precise date, earliest date,
--       earliest article, then smallest mention_id);
--   announced_on: the most precise date any mention gives (the announcing
--       article's day beats a month recalled later);
--   valuation: the primary mention's, else one in the amount's currency, else any;
--   round_type: the most frequent non-null type (ties: the primary's order).
{{ by_company_config('company_key') }}

with mentions as (
    select
        *,
        case announced_precision
            when 'day' then 1 when 'month' then 2 when 'quarter' then 3 when 'year' then 4
            else case when announced_on is not null then 1 else 5 end
        end as precision_rank
    from {{ ref('int_round_mentions_resolved') }}
    where {{ only_dirty('company_key') }}
),

ranked as (
    select
        *,
        row_number() over (
            partition by round_id
            order by is_recalled, currency_inferred, precision_rank, announced_on nulls last,
                     article_published_on nulls last, mention_id
        ) as primary_rank
    from mentions
),

primary_mention as (
    select * from ranked where primary_rank = 1
),

announced as (
    select round_id, announced_on, announced_precision
    from ranked
    where announced_on is not null
    qualify row_number() over (
        partition by round_id
        order by precision_rank, is_recalled, announced_on, article_published_on nulls last, mention_id
    ) = 1
),

valuation as (
    select r.round_id, r.valuation, r.valuation_currency
    from ranked as r
    join primary_mention as p using (round_id)
    where r.valuation is not null and r.valuation_currency is not null
    qualify row_number() over (
        partition by r.round_id
        order by (r.mention_id = p.mention_id) desc, (r.valuation_currency = p.currency) desc, r.primary_rank
    ) = 1
),

round_type as (
    select round_id, round_type
    from (
        select round_id, round_type, count(*) as n, min(primary_rank) as best_rank
        from ranked
        where round_type is not null
        group by round_id, round_type
    )
    qualify row_number() over (partition by round_id order by n desc, best_rank) = 1
),

sources as (
    select
        round_id,
        count(distinct article_id) as source_count,
        count(*) as mention_count,
        min(article_published_on) as first_reported_on
    from mentions
    group by round_id
)

select
    p.round_id,
    p.company,
    p.company_key,
    t.round_type,
    a.announced_on,
    a.announced_precision,
    p.amount,
    p.currency,
    p.amount_qualifier,
    v.valuation,
    v.valuation_currency,
    -- the date whose ECB rates convert the round: its own, else the primary article's
    coalesce(a.announced_on, p.article_published_on) as fx_basis_on,
    p.mention_id as primary_mention_id,
    p.article_id as primary_article_id,
    s.source_count,
    s.mention_count,
    s.first_reported_on
from primary_mention as p
left join announced as a using (round_id)
left join valuation as v using (round_id)
left join round_type as t using (round_id)
left join sources as s using (round_id)
