-- Pairs of rounds of one company that are most likely one event the resolver kept
-- apart because their figures disagree (it links mentions only when their amounts
-- agree): both dated to the day or the month, periods at most 7 days apart, stages
-- compatible (one unknown, or equal), both announced as news (not only recalled),
-- and no article recalls one next to the other. Both directions are listed. Not a rule: the
-- cross-currency and conflicting-amounts rules compare the figures of such rounds
-- as if they were one round, and say so in their message.
{{ by_company_config('company_key') }}

with mentions as (
    select * from {{ ref('int_quality__mentions') }}
    where {{ only_dirty('company_key') }}
),

dated as (
    select
        round_id,
        min(company_key) as company_key,
        max(round_stage) as round_stage,
        bool_or(not is_recalled) as announced,
        min(announced_on) filter (where announced_precision in ('day', 'month')) as period_start,
        max(case announced_precision
                when 'month' then cast(announced_on + interval 1 month - interval 1 day as date)
                when 'day' then announced_on
            end) filter (where announced_precision in ('day', 'month')) as period_end
    from mentions
    group by round_id
)

select
    a.round_id as round_a,
    b.round_id as round_b,
    a.company_key
from dated a
join dated b
  on a.company_key = b.company_key
 and a.round_id <> b.round_id
 and (a.round_stage is null or b.round_stage is null or a.round_stage = b.round_stage)
where a.period_start is not null
  and b.period_start is not null
  -- both announced as news somewhere; a round an article recalls next to the one it
  -- announces is another round
  and a.announced and b.announced
  and not exists (select 1 from mentions m where m.is_recalled and m.round_id in (a.round_id, b.round_id)
                  and m.article_id in (select article_id from mentions n where n.round_id in (a.round_id, b.round_id)
                                       and n.round_id <> m.round_id))
  and greatest(0, date_diff('day', least(a.period_end, b.period_end), greatest(a.period_start, b.period_start))) <= 7
