-- Rule 4, valuation below the amount raised: a (post-money or unspecified) valuation
-- smaller than the amount of the same round is an error. A pre-money valuation is
-- not judged (post = pre + amount is never below the amount): valuation_basis 'pre',
-- or "pré-money", "pre-money", "avant l'opération" in the figure or its sentence.
-- Compared in the currency of both figures when they share one, else in EUR (each
-- mention converted at its own date), with the printed precision of both: an error
-- only when the valuation's upper bound is below the amount's lower bound.
{{ by_company_config('round_id') }}

with mentions as (
    select * from {{ ref('int_quality__mentions') }}
    where {{ only_dirty('company_key') }}
),

figs as (
    select * from {{ ref('int_quality__mention_figures') }}
    where {{ only_dirty('company_key') }} and (origin = 'mention')
),

valuations as (
    select f.*, m.valuation_eur as value_eur, m.valuation_basis
    from figs f
    join mentions m using (mention_id)
    where f.figure_kind = 'valuation'
      and coalesce(m.valuation_basis, 'post') <> 'pre'
      -- a pre-money valuation the parser did not label as such
      and not regexp_matches(lower(coalesce(m.valuation_text, '') || ' ' || coalesce(m.quote, '')),
                             'pr[ée][- ]?money|pr[ée][- ]?monnaie|pre[- ]?money valuation|avant (l.)?(op[ée]ration|lev[ée]e|augmentation de capital)')
),

amounts as (
    select f.*, m.amount_eur as value_eur
    from figs f
    join mentions m using (mention_id)
    where f.figure_kind = 'amount'
),

pairs as (
    select
        v.round_id, v.company, v.round_label,
        v.article_id as valuation_article, a.article_id as amount_article,
        v.article_label as valuation_article_label, a.article_label as amount_article_label,
        v.value_label as valuation_label, a.value_label as amount_label,
        v.currency = a.currency as same_currency,
        case when v.currency = a.currency then v.value_hi else v.value_eur * v.value_hi / v.value end as valuation_hi,
        case when v.currency = a.currency then a.value_lo else a.value_eur * a.value_lo / a.value end as amount_lo,
        case when v.currency = a.currency then v.value else v.value_eur end as valuation_cmp,
        case when v.currency = a.currency then a.value else a.value_eur end as amount_cmp,
        case when v.currency = a.currency then v.currency else 'EUR' end as cmp_currency,
        v.quote as valuation_quote, a.quote as amount_quote,
        v.mention_id as valuation_mention, a.mention_id as amount_mention
    from valuations v
    join amounts a on a.round_id = v.round_id
),

judged as (
    select
        *,
        coalesce(valuation_hi < amount_lo, false) as below
    from pairs
    where valuation_hi is not null and amount_lo is not null
    -- one line per valuation: against the largest amount of the round
    qualify row_number() over (partition by valuation_mention order by amount_lo desc, amount_mention) = 1
)

select
    'valuation_below_amount' as check_name,
    'error' as severity,
    round_id,
    valuation_article as article_id,
    round_label || ': valued at ' || valuation_label || ' (article ' || valuation_article_label
        || ') after raising ' || amount_label || ' (article ' || amount_article_label || ')'
        || case when not same_currency then ' (compared in EUR)' else '' end
        || case when below then ': a valuation below the amount raised; the valuation or the amount is probably'
                                || ' misread (millions for billions, or a figure of another company)'
                else ': consistent' end as message,
    'valuation ' || printf('%,.0f', valuation_cmp) || ' ' || cmp_currency as observed,
    'valuation >= amount raised ' || printf('%,.0f', amount_cmp) || ' ' || cmp_currency as expected,
    case when valuation_quote = amount_quote then valuation_quote else valuation_quote || ' | ' || amount_quote end as quote,
    below as is_finding
from judged
