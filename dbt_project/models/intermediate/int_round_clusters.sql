-- Which round each mention belongs to. Mentions of one company are linked when
-- they can be the same round:
--   * dates compatible: unknown dates go with anything; known ones when their
--     periods (day, month, quarter, year) are at most round_date_slack_days apart
--     (a year when both name a common investor: one of them is likely misdated);
--   * amounts agree: same numeral (in any currency: "105 millions de dollars" and
--     "105 millions d'euros" are one round whose currency the press got wrong), or
--     within round_amount_tolerance in EUR or in USD, each mention converted at
--     its own ECB rate (qualifiers widen it: macros/amounts_agree.sql);
--   * round types do not conflict (a Series C and a Series D stay apart).
-- Two mentions whose figures disagree are still one round when the text says so:
-- the same stated round type (a company does not close two Series B within a
-- month), or two announcements of the company's round in one article (title and
-- body), with dates within the slack and amounts within a factor of
-- round_disagreeing_ratio. The quality checks then report the disagreement.
-- Rounds are the connected components of these links (recursive CTE, label
-- propagation). The round_id is derived from the content of the cluster, never
-- from arrival order:
-- md5 of the company key and the mention of the earliest-published article
-- (then the smallest mention_id).
{{ by_company_config('company_key') }}

{%- set tol = var('round_amount_tolerance', 0.08) %}
{%- set slack = var('round_date_slack_days', 31) %}
{%- set ratio = var('round_disagreeing_ratio', 1.5) %}

with recursive mentions as (
    select
        mention_id,
        article_id,
        is_recalled,
        company_key,
        amount,
        currency,
        amount_eur,
        amount_usd,
        amount_qualifier,
        investor_keys,
        round_type,
        announced_on,
        article_published_on,
        announced_on as period_start,
        case coalesce(announced_precision, 'day')
            when 'day' then announced_on
            when 'month' then cast(announced_on + interval 1 month - interval 1 day as date)
            when 'quarter' then cast(announced_on + interval 3 month - interval 1 day as date)
            when 'year' then cast(announced_on + interval 1 year - interval 1 day as date)
            else announced_on
        end as period_end
    from {{ ref('int_round_mentions_converted') }}
    where {{ only_dirty('company_key') }}
),

pairs as (
    select a.mention_id as a_id, b.mention_id as b_id
    from mentions as a
    join mentions as b
        on a.company_key = b.company_key
        and a.mention_id < b.mention_id
    where
        -- dates: compatible periods, or within a year when the two mentions name a
        -- common investor (a misdated mention of the same deal)
        (
            a.announced_on is null or b.announced_on is null
            or greatest(0, date_diff('day', least(a.period_end, b.period_end),
                                             greatest(a.period_start, b.period_start))) <= {{ slack }}
            or (
                -- (the date test first: the list intersection is the costly part)
                greatest(0, date_diff('day', least(a.period_end, b.period_end),
                                             greatest(a.period_start, b.period_start))) <= 366
                and len(list_intersect(a.investor_keys, b.investor_keys)) > 0
            )
        )
        -- round types
        and (a.round_type is null or b.round_type is null or a.round_type = b.round_type)
        and (
            -- amounts agree
            a.amount = b.amount
            or (a.currency = b.currency
                and {{ amounts_agree('a.amount', 'b.amount', 'a.amount_qualifier', 'b.amount_qualifier', tol) }})
            or {{ amounts_agree('a.amount_eur', 'b.amount_eur', 'a.amount_qualifier', 'b.amount_qualifier', tol) }}
            or {{ amounts_agree('a.amount_usd', 'b.amount_usd', 'a.amount_qualifier', 'b.amount_qualifier', tol) }}
            -- or they disagree, but the text says it is the same round
            or (
                greatest(a.amount_eur, b.amount_eur) <= {{ ratio }} * least(a.amount_eur, b.amount_eur)
                and a.announced_on is not null and b.announced_on is not null
                and (
                    (a.round_type = b.round_type)
                    or (a.article_id = b.article_id and not a.is_recalled and not b.is_recalled)
                )
            )
        )
),

edges as (
    select a_id as src, b_id as dst from pairs
    union all
    select b_id, a_id from pairs
),

-- connected components by label propagation: every mention starts with its own id
-- as label and takes the smallest label among its neighbours until nothing changes
-- (USING KEY keeps one row per mention, so a component of k mentions costs k rows
-- per round of propagation, not the k x k rows of a transitive closure)
components (mention_id, component) using key (mention_id) as (
    select mention_id, mention_id from mentions
    union
    select e.dst, min(c.component)
    from components as c
    join edges as e on e.src = c.mention_id
    join recurring.components as known on known.mention_id = e.dst
    group by e.dst
    having min(c.component) < min(known.component)
),

-- the anchor of each component: its mention in the earliest-published article
-- (then the smallest mention_id; the smallest mention_id when no article is
-- dated), by two groupings instead of a window sorting every mention
component_mentions as (
    select c.mention_id, c.component, m.company_key, m.article_published_on
    from components as c
    join mentions as m using (mention_id)
),

first_published as (
    select component, min(article_published_on) as published_on
    from component_mentions
    group by component
),

anchors as (
    select
        cm.component,
        coalesce(min(cm.mention_id) filter (where cm.article_published_on = f.published_on),
                 min(cm.mention_id)) as anchor_mention_id
    from component_mentions as cm
    join first_published as f using (component)
    group by cm.component
),

anchored as (
    select cm.mention_id, cm.component, cm.company_key, a.anchor_mention_id
    from component_mentions as cm
    join anchors as a using (component)
)

select
    md5(company_key || '|' || anchor_mention_id) as round_id,
    mention_id,
    company_key,
    anchor_mention_id
from anchored
