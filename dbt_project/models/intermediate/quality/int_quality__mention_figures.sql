-- Every money figure the quality rules compare, one row per (mention, figure kind),
-- with the interval its printed precision allows. Not a rule: the rules read it.
--
-- figure_kind: 'amount' (the round's amount) or 'valuation'.
-- origin:      'mention' (a column of the round mention) or 'inline' (a figure that
--              follows it in the same sentence in another currency, "60 millions
--              d'euros, soit environ 80 millions de dollars").
--
-- Precision (docs/quality_rules.md §Precision): the significant digits of the first
-- number printed in the figure's text give its half-unit, as a relative half-width
-- rel_half = 0.5 / significant_digits_as_integer:
--   "4,2 milliards" -> 42 -> ±1.19 %; "235 millions" -> 235 -> ±0.21 %;
--   "1,86 milliard" -> 186 -> ±0.27 %; "240 millions" -> 24 -> ±2.08 %
--   (trailing zeros of a whole number are not significant, but at least two digits
--   are: "100 millions" -> 10 -> ±5 %); no digits ("un milliard") -> ±5 %.
-- Qualifiers: approx -> at least ±5 %; at_least -> [lo, +inf); at_most -> [0, hi].
{{ by_company_config('company_key') }}

with mentions as (
    select * from {{ ref('int_quality__mentions') }}
    where {{ only_dirty('company_key') }}
),

figures as (
    select * from {{ ref('stg_figures') }}
    {%- if by_company_incremental() %}
    where article_id in (select article_id from mentions)
    {%- endif %}
),

mention_figures as (
    select
        round_id, company, company_key, round_stage as round_type, round_label, mention_id, article_id, article_label,
        'amount' as figure_kind, 'mention' as origin,
        amount as value, currency, amount_text as figure_text,
        coalesce(amount_qualifier, 'exact') as qualifier,
        coalesce(currency_inferred, false) as currency_inferred,
        announced_on, announced_precision, coalesce(is_recalled, false) as is_recalled,
        article_published_on, fx_rate_date, quote
    from mentions
    where amount is not null and currency is not null

    union all

    select
        round_id, company, company_key, round_stage, round_label, mention_id, article_id, article_label,
        'valuation', 'mention',
        valuation, valuation_currency, valuation_text,
        case
            when regexp_matches(lower(coalesce(valuation_text, '')), '(environ|près de|pres de|quelque|about|around|nearly|roughly|approximately|some )') then 'approx'
            when regexp_matches(lower(coalesce(valuation_text, '')), '(plus de|au moins|over |more than|at least)') then 'at_least'
            else 'exact'
        end,
        false,
        announced_on, announced_precision, coalesce(is_recalled, false),
        article_published_on, fx_rate_date, quote
    from mentions
    where valuation is not null and valuation_currency is not null
),

-- the figures that print each mention's amount (or valuation) in its article: the
-- mention's own figure, and any other figure of the article with the same value and
-- currency for the same company (a title and a body sentence both print it).
-- Two equi-joins (a join condition with OR compares every figure of the article),
-- the second without the pairs the first found; MATERIALIZED, or DuckDB joins the
-- mention figures to every figure of their article in another currency first (a
-- million rows), and only then to their anchors
anchor as materialized (
    select mf.*, f.figure_id as anchor_figure_id, f.sentence_idx, f.char_start as f_start, f.char_end as f_end
    from mention_figures mf
    join figures f
      on f.article_id = mf.article_id
     and f.figure_id = mf.mention_id
    where mf.figure_kind = 'amount'

    union all

    select mf.*, f.figure_id as anchor_figure_id, f.sentence_idx, f.char_start as f_start, f.char_end as f_end
    from mention_figures mf
    join figures f
      on f.article_id = mf.article_id
     and f.amount = mf.value
     and f.currency = mf.currency
    where coalesce(f.kind, 'other') in ('round', 'valuation', 'other')
      and (f.company is null or lower(f.company) = lower(mf.company))
      and (mf.figure_kind = 'valuation') = (coalesce(f.kind, 'other') = 'valuation')
      and not coalesce(mf.figure_kind = 'amount' and f.figure_id = mf.mention_id, false)
),

-- a figure in another currency printed right after one of them (at most 40
-- characters later, same sentence), that is not itself a round mention: an inline
-- conversion ("20 millions d'euros, soit 30 millions de dollars")
-- the figures that can be an inline conversion, filtered before the join below
-- (after it, the filters run on every pair of figures of a sentence)
inline_pool as materialized (
    select figure_id, article_id, sentence_idx, char_start, amount, currency, raw_text, qualifier,
           currency_inferred, quote
    from figures f
    where f.amount is not null
      and coalesce(f.kind, 'other') not in ('price', 'revenue', 'market_total', 'period_total', 'fund')
      -- (a round mention of any company: the whole table, also on an incremental build)
      and f.figure_id not in (select mention_id from {{ ref('int_quality__mentions') }})
),

inline_candidates as (
    select
        a.round_id, a.company, a.company_key, a.round_type, a.round_label, a.mention_id, a.article_id, a.article_label,
        a.figure_kind, 'inline' as origin,
        f.amount as value, f.currency, f.raw_text as figure_text,
        coalesce(f.qualifier, 'exact') as qualifier,
        coalesce(f.currency_inferred, false) as currency_inferred,
        a.announced_on, a.announced_precision, a.is_recalled,
        a.article_published_on, a.fx_rate_date, f.quote,
        f.figure_id as inline_figure_id
    from anchor a
    join inline_pool f
      on f.article_id = a.article_id
     and f.sentence_idx = a.sentence_idx
     and f.char_start >= a.f_end
     and f.char_start - a.f_end <= 40
     and f.currency <> a.currency
    -- the nearest figure after each anchor
    qualify row_number() over (partition by a.mention_id, a.figure_kind, a.anchor_figure_id order by f.char_start) = 1
),

inline_figures as (
    select * exclude (inline_figure_id)
    from inline_candidates
    qualify row_number() over (partition by mention_id, figure_kind, inline_figure_id order by article_id) = 1
),

all_figures as (
    select * from mention_figures
    union all
    select * from inline_figures
),

digits as (
    select
        *,
        regexp_extract(coalesce(figure_text, ''), '[0-9](?:[0-9 .,\x{00a0}\x{202f}]*[0-9])?') as number_token
    from all_figures
),

significant as (
    select
        *,
        -- a decimal part: a separator followed by 1-2 or 4+ digits at the end of the number
        regexp_matches(number_token, '[.,][0-9]{1,2}$') or regexp_matches(number_token, '[.,][0-9]{4,}$') as has_decimals,
        ltrim(regexp_replace(number_token, '[^0-9]', '', 'g'), '0') as all_digits
    from digits
),

precision as (
    select
        *,
        case
            when all_digits = '' then null
            when has_decimals then all_digits
            -- whole number: trailing zeros are not significant, but keep two digits
            when length(rtrim(all_digits, '0')) >= 2 then rtrim(all_digits, '0')
            else left(all_digits, 2)
        end as significant_digits
    from significant
),

bounds as (
    select
        *,
        case
            when significant_digits is null then 0.05
            else 0.5 / cast(significant_digits as double)
        end as rel_half_printed
    from precision
)

select
    round_id, company, company_key, round_type, round_label, mention_id, article_id, article_label,
    figure_kind, origin, value, currency, figure_text, qualifier, currency_inferred,
    announced_on, announced_precision, is_recalled, article_published_on, fx_rate_date, quote,
    significant_digits,
    rel_half_printed,
    case when qualifier = 'approx' then greatest(rel_half_printed, 0.05) else rel_half_printed end as rel_half,
    -- rounded to 1/10000 of a unit, so that equal bounds compare equal
    round(case
        when qualifier = 'at_most' then 0.0
        when qualifier = 'approx' then value * (1 - greatest(rel_half_printed, 0.05))
        else value * (1 - rel_half_printed)
    end, 4) as value_lo,
    round(case
        when qualifier = 'at_least' then cast('infinity' as double)
        when qualifier = 'approx' then value * (1 + greatest(rel_half_printed, 0.05))
        else value * (1 + rel_half_printed)
    end, 4) as value_hi,
    -- a short label for messages: "235 M USD", "4.2 bn EUR", "12 500 EUR"
    case when qualifier = 'approx' then '~' when qualifier = 'at_least' then '>=' when qualifier = 'at_most' then '<=' else '' end
    || case
        when abs(value) >= 1e9 then regexp_replace(printf('%.3f', value / 1e9), '\.?0+$', '') || ' bn '
        when abs(value) >= 1e6 then regexp_replace(printf('%.3f', value / 1e6), '\.?0+$', '') || ' M '
        else regexp_replace(printf('%.2f', value), '\.?0+$', '') || ' '
       end
    || currency as value_label
from bounds
