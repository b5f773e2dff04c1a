-- Rule 6, round order: a company's rounds out of order in time, a later stage
-- (Series C) dated before an earlier one (Series B). Warning.
-- Stages: pre_seed < seed < series_a < … < series_j; growth, bridge, debt, grant
-- and ipo have no place in the sequence and are not judged. Out of order only when
-- the whole period of the earlier stage starts after the whole period of the later
-- stage ends (a Series B "en 2021" and a Series C "en mars 2021" are not).
{{ by_company_config('round_id') }}

with mentions as (
    select * from {{ ref('int_quality__mentions') }}
    where {{ only_dirty('company_key') }}
),

-- the most frequent type of each round (ties: the first in alphabetical order, so that
-- the result never depends on the order rows arrive in)
round_types as (
    select round_id, round_type
    from mentions
    where announced_on is not null and round_type is not null
    group by round_id, round_type
    qualify row_number() over (partition by round_id order by count(*) desc, round_type) = 1
),

-- only a round with a stage, in a company with another round with a stage, can
-- be out of order: the lists below are built for these rounds alone
round_companies as (
    select round_id, min(company_key) as company_key
    from mentions
    where announced_on is not null
    group by round_id
),

candidates as (
    select c.round_id
    from round_companies as c
    join round_types as t using (round_id)
    where {{ stage_of('t.round_type') }} is not null
    qualify count(*) over (partition by c.company_key) >= 2
),

rounds as (
    select
        round_id,
        min(company) as company,
        min(company_key) as company_key,
        arg_max(amount_label, (amount is not null, mention_id)) as amount_label,
        -- the most precise date any mention gives
        arg_min(announced_on, (case announced_precision when 'day' then 0 when 'month' then 1
                                   when 'quarter' then 2 when 'year' then 3 else 4 end, announced_on)) as announced_on,
        arg_min(announced_precision, (case announced_precision when 'day' then 0 when 'month' then 1
                                   when 'quarter' then 2 when 'year' then 3 else 4 end, announced_on)) as announced_precision,
        {{ sorted_distinct_list('article_id') }} as article_ids,
        {{ sorted_distinct_list('article_label') }} as article_labels,
        array_to_string({{ sorted_distinct_list('quote') }}, ' | ') as quotes
    from mentions
    semi join candidates using (round_id)
    where announced_on is not null
    group by round_id
),

typed as (
    select r.*, t.round_type
    from rounds as r
    left join round_types as t using (round_id)
),

staged as (
    select
        *,
        {{ stage_of('round_type') }} as stage,
        case
            when round_type like 'series_%' then 'Series ' || upper(substr(round_type, 8))
            else replace(round_type, '_', '-')
        end as stage_label,
        case announced_precision
            when 'month' then cast(announced_on + interval 1 month - interval 1 day as date)
            when 'quarter' then cast(announced_on + interval 3 month - interval 1 day as date)
            when 'year' then cast(announced_on + interval 1 year - interval 1 day as date)
            else announced_on
        end as announced_end
    from typed
)

select
    'round_order' as check_name,
    'warning' as severity,
    late.round_id,
    late.article_ids[1] as article_id,
    late.company || ': ' || late.stage_label || coalesce(' of ' || late.amount_label, '') || ' dated ' || strftime(late.announced_on, '%Y-%m-%d')
        || coalesce(' (' || late.announced_precision || ')', '') || ' (article'
        || case when len(late.article_labels) > 1 then 's ' else ' ' end || array_to_string(late.article_labels, ', ')
        || ') comes before its ' || early.stage_label || coalesce(' of ' || early.amount_label, '') || ' dated ' || strftime(early.announced_on, '%Y-%m-%d')
        || coalesce(' (' || early.announced_precision || ')', '') || ' (article'
        || case when len(early.article_labels) > 1 then 's ' else ' ' end || array_to_string(early.article_labels, ', ')
        || '): check the stage or the date of one of the two rounds' as message,
    late.stage_label || ' on ' || strftime(late.announced_on, '%Y-%m-%d') || ', ' || early.stage_label || ' on '
        || strftime(early.announced_on, '%Y-%m-%d') as observed,
    early.stage_label || ' before ' || late.stage_label as expected,
    late.quotes || ' | ' || early.quotes as quote,
    true as is_finding
from staged late
join staged early
  on early.company_key = late.company_key
 and early.round_id <> late.round_id
 and early.stage < late.stage
where late.stage is not null
  and early.stage is not null
  and early.announced_on > late.announced_end
