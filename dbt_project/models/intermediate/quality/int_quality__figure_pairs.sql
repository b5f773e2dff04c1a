-- Pairs of figures of one round (amount with amount, valuation with valuation)
-- printed in two different currencies, with what the printed figures imply about
-- the exchange rate and what the ECB says about it. Read by the cross-currency
-- and swapped-currency rules. Exact rule: docs/quality_rules.md.
--
-- A "reported figure" groups the mentions that print the same value in the same
-- currency for the same round (235 M USD in articles 000 and 001).
-- Pairs: figures of the same round_id, or of sibling rounds (int_quality__sibling_rounds:
-- one event the resolver split because the figures disagree); and, for the
-- swapped-currency rule only,
-- the same numeral in two currencies for two rounds of the same company whose
-- dates are unknown or less than 120 days apart (a resolver that split one round
-- by currency must not hide the swap).
{{ by_company_config('company_key') }}

with fx as (
    select rate_date, currency, per_eur from {{ ref('stg_fx_rates') }}
),

siblings as (
    select distinct round_a, round_b from {{ ref('int_quality__sibling_rounds') }}
    where {{ only_dirty('company_key') }}
),

ranked as (
    select *,
        case currency when 'EUR' then 0 when 'USD' then 1 else 2 end as currency_rank
    from {{ ref('int_quality__reported_figures') }}
    where figure_scope = 'all' and {{ only_dirty('company_key') }}
),

-- Joins of more than two relations below go through MATERIALIZED steps: left to
-- itself, DuckDB's join order may join the two figure sides first on the currency
-- order alone (a cross product of every figure: minutes at 100k articles).

-- the figures of each round paired with a sibling round
sibling_figures as materialized (
    select s.round_b, x.*
    from siblings s
    join ranked x
      on x.round_id = s.round_a
),

-- the pairs of figures compared, each found by an equi-join (a condition with OR
-- would leave the join a cross product of every figure of one kind): figures of
-- one round, figures of sibling rounds, and the same numeral for two rounds of one
-- company; base currency x first (EUR, then USD, then alphabetical), quote y second
candidates as materialized (
    select x.round_id as x_round_id, x.figure_kind, x.currency as x_currency, x.value as x_value,
           y.round_id as y_round_id, y.currency as y_currency, y.value as y_value
    from ranked x
    join ranked y
      on y.round_id = x.round_id
     and y.figure_kind = x.figure_kind
     and (x.currency_rank, x.currency) < (y.currency_rank, y.currency)

    union

    select x.round_id, x.figure_kind, x.currency, x.value, y.round_id, y.currency, y.value
    from sibling_figures x
    join ranked y
      on y.round_id = x.round_b
     and y.figure_kind = x.figure_kind
     and (x.currency_rank, x.currency) < (y.currency_rank, y.currency)

    union

    select x.round_id, x.figure_kind, x.currency, x.value, y.round_id, y.currency, y.value
    from ranked x
    join ranked y
      on y.company_key = x.company_key
     and y.figure_kind = x.figure_kind
     and y.value = x.value
     and (x.currency_rank, x.currency) < (y.currency_rank, y.currency)
    where x.announced_on is null or y.announced_on is null
       or abs(date_diff('day', x.announced_on, y.announced_on)) <= 120
),

-- each candidate with its base figure, then (below) its quote figure
base_figures as materialized (
    select c.y_round_id, c.y_currency, c.y_value, x.*
    from candidates c
    join ranked x
      on x.round_id = c.x_round_id and x.figure_kind = c.figure_kind
     and x.currency = c.x_currency and x.value = c.x_value
),

pairs as (
    select
        x.round_id as round_id,
        y.round_id as other_round_id,
        x.round_id = y.round_id as same_round,
        x.round_id <> y.round_id and s.round_a is not null as sibling_rounds,
        x.company, x.company_key,
        coalesce(x.round_type, y.round_type) as round_type,
        coalesce(x.round_label, y.round_label) as round_label,
        x.figure_kind,
        x.currency as base_currency, y.currency as quote_currency,
        x.value as base_value, y.value as quote_value,
        x.value_label as base_label, y.value_label as quote_label,
        x.value_lo as base_lo, x.value_hi as base_hi,
        y.value_lo as quote_lo, y.value_hi as quote_hi,
        x.rel_half as base_rel_half, y.rel_half as quote_rel_half,
        x.article_ids as base_articles, y.article_ids as quote_articles,
        x.article_labels as base_article_labels, y.article_labels as quote_article_labels,
        x.mention_ids as base_mentions, y.mention_ids as quote_mentions,
        x.quotes as base_quotes, y.quotes as quote_quotes,
        least(x.date_min, y.date_min) as window_start,
        greatest(x.date_max, y.date_max) as window_end,
        coalesce(least(x.day_precise_fx_date, y.day_precise_fx_date), least(x.any_fx_date, y.any_fx_date),
                 least(x.date_min, y.date_min)) as reference_date,
        x.has_undated_article or y.has_undated_article as has_undated_article,
        x.has_imprecise_date or y.has_imprecise_date as has_imprecise_date,
        x.has_inline or y.has_inline as has_inline
    from base_figures x
    join ranked y
      on y.round_id = x.y_round_id and y.figure_kind = x.figure_kind
     and y.currency = x.y_currency and y.value = x.y_value
    left join siblings s
      on s.round_a = x.round_id and s.round_b = y.round_id
),

windows as materialized (
    -- the ECB window of each pair: from the last business day (of the quote currency)
    -- on or before its first date, else that date, to its last date (ranges are
    -- computed per month below: joining every rate of the currency, or every day of
    -- a window of years, costs millions of rows at 100k articles)
    select
        p.round_id, p.other_round_id, p.figure_kind, p.base_currency, p.quote_currency,
        p.base_value, p.quote_value,
        coalesce(f.rate_date, least(p.window_start, p.reference_date)) as from_date,
        greatest(p.window_end, p.reference_date) as to_date,
        p.reference_date
    from pairs p
    asof left join fx f
      on f.currency = p.quote_currency
     and least(p.window_start, p.reference_date) >= f.rate_date
),

-- the ECB rates of each currency pair (quote per base), per business day on which
-- both currencies have a rate, and their range per calendar month
cross_rates as materialized (
    select cp.base_currency, cp.quote_currency, fb.rate_date, fq.per_eur / fb.per_eur as rate,
           cast(date_trunc('month', fb.rate_date) as date) as month
    from (select distinct base_currency, quote_currency from windows) cp
    join fx fb on fb.currency = cp.base_currency
    join fx fq on fq.currency = cp.quote_currency and fq.rate_date = fb.rate_date
),

monthly_rates as materialized (
    select base_currency, quote_currency, month,
           min(rate) as rate_min, max(rate) as rate_max,
           min(rate_date) as first_date, max(rate_date) as last_date
    from cross_rates
    group by all
),

-- each window as the calendar months it touches: a month inside the window takes
-- its monthly range, the first and last months only their days in the window (a
-- window of years is a few dozen rows, not one row per business day)
window_months as (
    select *, month >= from_date and cast(month + interval 1 month - interval 1 day as date) <= to_date
              as is_whole_month
    from (
        select w.* exclude (reference_date),
               cast(unnest(generate_series(cast(date_trunc('month', w.from_date) as date),
                                           cast(date_trunc('month', w.to_date) as date),
                                           interval 1 month)) as date) as month
        from windows w
    )
),

window_parts as (
    select wm.round_id, wm.other_round_id, wm.figure_kind, wm.base_currency, wm.quote_currency,
           wm.base_value, wm.quote_value,
           mr.rate_min, mr.rate_max, mr.first_date, mr.last_date
    from window_months wm
    join monthly_rates mr
      on mr.base_currency = wm.base_currency and mr.quote_currency = wm.quote_currency and mr.month = wm.month
    where wm.is_whole_month

    union all

    select wm.round_id, wm.other_round_id, wm.figure_kind, wm.base_currency, wm.quote_currency,
           wm.base_value, wm.quote_value,
           cr.rate, cr.rate, cr.rate_date, cr.rate_date
    from window_months wm
    join cross_rates cr
      on cr.base_currency = wm.base_currency and cr.quote_currency = wm.quote_currency and cr.month = wm.month
    where not wm.is_whole_month
      and cr.rate_date >= wm.from_date and cr.rate_date <= wm.to_date
),

ecb as (
    -- the lowest and highest rate over the window's business days
    select
        round_id, other_round_id, figure_kind, base_currency, quote_currency, base_value, quote_value,
        min(rate_min) as ecb_min,
        max(rate_max) as ecb_max,
        min(first_date) as ecb_first_date,
        max(last_date) as ecb_last_date
    from window_parts
    group by all
),

reference as (
    -- the ECB rate of the reference date: the last business day on or before it, if
    -- it is in the window (an ASOF join straight from the windows: after another
    -- join, DuckDB may estimate a few rows and run it as a nested loop)
    select w.round_id, w.other_round_id, w.figure_kind, w.base_currency, w.quote_currency,
           w.base_value, w.quote_value,
           cr.rate as reference_rate,
           cr.rate_date as reference_rate_date
    from windows w
    asof join cross_rates cr
      on cr.base_currency = w.base_currency and cr.quote_currency = w.quote_currency
     and w.reference_date >= cr.rate_date
    where cr.rate_date >= w.from_date and cr.rate_date <= w.to_date
)

select
    p.*,
    p.quote_value / p.base_value as implied_rate,
    p.quote_lo / p.base_hi as implied_lo,
    case when p.base_lo > 0 then p.quote_hi / p.base_lo else cast('infinity' as double) end as implied_hi,
    r.reference_rate,
    r.reference_rate_date,
    e.ecb_min,
    e.ecb_max,
    -- margin for the rate the journalist used: 1 % when every date is known to the
    -- day and the dates are at most 3 days apart, 2 % otherwise
    cast(case
        when not p.has_undated_article and not p.has_imprecise_date
             and date_diff('day', p.window_start, p.window_end) <= 3 then 0.01
        else 0.02
    end as double) as fx_margin,
    e.ecb_min is not null as has_ecb_rate
from pairs p
left join ecb e
  using (round_id, other_round_id, figure_kind, base_currency, quote_currency, base_value, quote_value)
left join reference r
  using (round_id, other_round_id, figure_kind, base_currency, quote_currency, base_value, quote_value)
