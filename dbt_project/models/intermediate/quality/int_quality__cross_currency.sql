-- Rule 1, cross-currency consistency: when one round is reported in two currencies
-- (two articles, or an inline conversion), the rate the two printed figures imply
-- must agree with the ECB rate. Error when it does not.
--
-- implied interval = [quote_lo / base_hi, quote_hi / base_lo]   (printed precision of both figures)
-- accepted interval = [ecb_min * (1 - m), ecb_max * (1 + m)]     (ECB rates from the last business
--     day on or before the earliest reference date to the latest one; m = 1 % or 2 %)
-- consistent when the two intervals overlap. Every comparison is kept (is_finding
-- false when consistent) so the Dagster check shows the evidence of both kinds.
-- The same numeral in two currencies is the swapped-currency rule's, not this one's.
{{ by_company_config('round_id') }}

with pairs as (
    select * from {{ ref('int_quality__figure_pairs') }}
    where {{ only_dirty('company_key') }} and ((same_round or sibling_rounds) and base_value <> quote_value and has_ecb_rate)
),

judged as (
    select
        *,
        ecb_min * (1 - fx_margin) as accepted_lo,
        ecb_max * (1 + fx_margin) as accepted_hi,
        implied_hi >= ecb_min * (1 - fx_margin) and implied_lo <= ecb_max * (1 + fx_margin) as consistent,
        -- the figure reported by fewer articles is the one the finding points at
        len(quote_articles) <= len(base_articles) as quote_is_minority,
        quote_label || ' (article' || case when len(quote_article_labels) > 1 then 's ' else ' ' end
            || array_to_string(quote_article_labels, ', ') || ')' as quote_side,
        base_label || ' (article' || case when len(base_article_labels) > 1 then 's ' else ' ' end
            || array_to_string(base_article_labels, ', ') || ')' as base_side
    from pairs
)

select
    'cross_currency' as check_name,
    'error' as severity,
    case when quote_is_minority then other_round_id else round_id end as round_id,
    case when quote_is_minority then quote_articles[1] else base_articles[1] end as article_id,
    round_label || ': '
        || case when figure_kind = 'valuation' then 'valuation ' else '' end
        || case when quote_is_minority then quote_side || ' against ' || base_side
                else base_side || ' against ' || quote_side end
        || case when sibling_rounds then ' (kept as two rounds, ' || round_id || ' and ' || other_round_id
                                         || ', reported within a week)' else '' end
        || ' implies ' || printf('%.3f', implied_rate) || ' ' || quote_currency || '/' || base_currency
        || ' (' || printf('%.3f', implied_lo) || ' to '
        || case when isinf(implied_hi) then 'unbounded' else printf('%.3f', implied_hi) end
        || ' given the printed precision); the ECB rate on ' || strftime(reference_rate_date, '%Y-%m-%d')
        || ' was ' || printf('%.3f', reference_rate)
        || case when ecb_max > ecb_min
                then ' (' || printf('%.3f', ecb_min) || ' to ' || printf('%.3f', ecb_max) || ' between '
                     || strftime(window_start, '%Y-%m-%d') || ' and ' || strftime(window_end, '%Y-%m-%d') || ')'
                else '' end
        || case when consistent then ': consistent'
                else ': inconsistent, even allowing ' || printf('%.0f', fx_margin * 100)
                     || ' % for the rate the journalist used; one of the figures is wrong' end
        as message,
    printf('%.4f', implied_rate) || ' ' || quote_currency || '/' || base_currency
        || ' (' || printf('%.4f', implied_lo) || ' to '
        || case when isinf(implied_hi) then 'inf' else printf('%.4f', implied_hi) end || ')' as observed,
    printf('%.4f', accepted_lo) || ' to ' || printf('%.4f', accepted_hi) || ' ' || quote_currency || '/' || base_currency
        || ' (ECB ' || printf('%.4f', reference_rate) || ' on ' || strftime(reference_rate_date, '%Y-%m-%d')
        || ', margin ' || printf('%.0f', fx_margin * 100) || ' %)' as expected,
    case when quote_quotes = base_quotes then quote_quotes
         when quote_is_minority then quote_quotes || ' | ' || base_quotes
         else base_quotes || ' | ' || quote_quotes end as quote,
    not consistent as is_finding,
    -- the numbers behind the verdict (Great Expectations re-checks them)
    figure_kind, base_currency, quote_currency, implied_rate, implied_lo, implied_hi,
    reference_rate, reference_rate_date, accepted_lo, accepted_hi, fx_margin
from judged
