-- Rule 7, inferred or missing facts. Warnings:
--  * currency_inferred: no article states the currency of the round's amount; the
--    pipeline inferred it (from the surrounding figures or the article's language).
--  * date_unknown: no article dates the round, not even by the article's own date;
--    its amount was converted at the reporting article's date, or not at all.
{{ by_company_config('round_id') }}

with mentions as (
    select * from {{ ref('int_quality__mentions') }}
    where {{ only_dirty('company_key') }}
),

-- the rounds either warning is about, found by a grouping of flags only: the
-- lists below are built for them alone (a few thousand rounds), not for all
flags as (
    select
        round_id,
        bool_and(coalesce(currency_inferred, false)) filter (where amount is not null) as currency_always_inferred,
        count(*) filter (where amount is not null) as amount_mentions,
        bool_and(announced_on is null) as never_dated
    from mentions
    group by round_id
),

flagged as (
    select round_id
    from flags
    where (amount_mentions > 0 and currency_always_inferred) or never_dated
),

rounds as (
    select
        round_id,
        min(round_label) as round_name,
        arg_max(amount_label, (amount is not null, mention_id)) as amount_label,
        arg_max(currency, (amount is not null, mention_id)) as currency,
        bool_and(coalesce(currency_inferred, false)) filter (where amount is not null) as currency_always_inferred,
        count(*) filter (where amount is not null) as amount_mentions,
        bool_and(announced_on is null) as never_dated,
        {{ sorted_distinct_list('article_id') }} as article_ids,
        {{ sorted_distinct_list('article_label') }} as article_labels,
        array_to_string({{ sorted_distinct_list('quote') }}, ' | ') as quotes,
        max(fx_rate_date) as fx_rate_date
    from mentions
    semi join flagged using (round_id)
    group by round_id
),

labelled as (
    select
        *,
        round_name || coalesce(' ' || amount_label, '') as round_label,
        'article' || case when len(article_labels) > 1 then 's ' else ' ' end || array_to_string(article_labels, ', ') as sources
    from rounds
)

select
    'currency_inferred' as check_name,
    'warning' as severity,
    round_id,
    article_ids[1] as article_id,
    round_label || ' (' || sources || '): no article states the currency; ' || currency
        || ' was inferred from the context. Check the original announcement' as message,
    'currency ' || currency || ' (inferred)' as observed,
    'a currency printed with the amount' as expected,
    quotes as quote,
    true as is_finding
from labelled
where amount_mentions > 0 and currency_always_inferred

union all

select
    'date_unknown' as check_name,
    'warning' as severity,
    round_id,
    article_ids[1] as article_id,
    round_label || ' (' || sources || '): no date for the round'
        || case when fx_rate_date is not null then '; converted at the ECB rate of ' || strftime(fx_rate_date, '%Y-%m-%d')
                else '; not converted' end
        || '. Date it from another source' as message,
    'announced_on unknown' as observed,
    'a date, at least a year' as expected,
    quotes as quote,
    true as is_finding
from labelled
where never_dated
