-- Rule 3, conflicting amounts: two articles (or two sentences) give one round two
-- figures in the same currency that their printed precision cannot reconcile.
-- Error, with both figures and both sources in the message.
--
-- Each reported figure is an interval (int_quality__mention_figures: half-unit of
-- the last significant digit, approx ±5 %, "plus de" open above, "jusqu'à" open
-- below); two figures conflict when their intervals do not overlap.
-- Same round: the same round_id, or sibling rounds (int_quality__sibling_rounds:
-- reported within a week, stages compatible: one round the resolver split because
-- its figures disagree). Two rounds of one stage weeks apart are not compared: an
-- extension of a Series B is a round of its own.
{{ by_company_config('round_id') }}

with grouped as (
    select * from {{ ref('int_quality__reported_figures') }}
    where {{ only_dirty('company_key') }} and (figure_scope = 'mention')
),

-- the pairs of rounds whose figures are compared: each round with itself, and
-- sibling rounds (equi-joins only: a condition with OR would leave the join a
-- cross product of every figure in one currency)
round_pairs as (
    select distinct round_id as round_a, round_id as round_b from grouped
    union
    select round_a, round_b from {{ ref('int_quality__sibling_rounds') }} where {{ only_dirty('company_key') }}
),

-- each figure with the rounds it is compared with; MATERIALIZED, so that DuckDB's
-- join order cannot join the two figure sides first on kind and currency alone (a
-- cross product of every figure in one currency)
left_figures as materialized (
    select rp.round_b, a.*
    from round_pairs rp
    join grouped a
      on a.round_id = rp.round_a
),

pairs as (
    select
        a.round_id, b.round_id as other_round_id, a.round_id = b.round_id as same_round,
        a.company, coalesce(a.round_type, b.round_type) as round_type, coalesce(a.round_label, b.round_label) as round_label,
        a.figure_kind, a.currency,
        a.value as value_a, b.value as value_b,
        a.value_label as label_a, b.value_label as label_b,
        a.value_lo as lo_a, a.value_hi as hi_a, b.value_lo as lo_b, b.value_hi as hi_b,
        a.article_ids as articles_a, b.article_ids as articles_b,
        a.article_labels as labels_a, b.article_labels as labels_b,
        a.quotes as quotes_a, b.quotes as quotes_b
    from left_figures a
    join grouped b
      on b.round_id = a.round_b
     and b.figure_kind = a.figure_kind
     and b.currency = a.currency
     and a.value < b.value
),

judged as (
    select
        *,
        hi_a >= lo_b and hi_b >= lo_a as reconcilable,
        (value_b - value_a) / value_a as gap,
        -- the figure with fewer sources is the suspect one
        len(articles_b) <= len(articles_a) as b_is_minority
    from pairs
)

select
    'conflicting_amounts' as check_name,
    'error' as severity,
    case when b_is_minority then other_round_id else round_id end as round_id,
    case when b_is_minority then articles_b[1] else articles_a[1] end as article_id,
    round_label || ': ' || case when figure_kind = 'valuation' then 'valuation ' else '' end
        || label_a || ' (article' || case when len(labels_a) > 1 then 's ' else ' ' end || array_to_string(labels_a, ', ')
        || ') against ' || label_b
        || ' (article' || case when len(labels_b) > 1 then 's ' else ' ' end || array_to_string(labels_b, ', ')
        || '): ' || printf('%.1f', gap * 100) || ' % apart'
        || case when reconcilable then ', within what the printed figures allow: consistent'
                else ', more than the printed figures allow' end
        || case when not same_round then ' (kept as two rounds, ' || round_id || ' and ' || other_round_id || ')' else '' end
        || case when reconcilable then '' else '; check which source is right' end as message,
    label_a || ' vs ' || label_b as observed,
    'one figure: ' || printf('%,.0f', lo_a) || ' to '
        || case when isinf(hi_a) then 'inf' else printf('%,.0f', hi_a) end
        || ' overlapping ' || printf('%,.0f', lo_b) || ' to '
        || case when isinf(hi_b) then 'inf' else printf('%,.0f', hi_b) end
        || ' ' || currency as expected,
    case when quotes_a = quotes_b then quotes_a else quotes_a || ' | ' || quotes_b end as quote,
    not reconcilable as is_finding,
    -- the numbers behind the verdict (Great Expectations re-checks them)
    figure_kind, currency, value_a, value_b, lo_a, hi_a, lo_b, hi_b
from judged
