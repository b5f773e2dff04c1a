-- Rule 2, swapped currency: the same numeral reported in two currencies for the same
-- round ("105 millions de dollars" and "105 millions d'euros") is an error, whichever
-- is right. Also across two rounds of the same company when their dates are unknown
-- or less than 120 days apart (see int_quality__figure_pairs).
-- Exception: when the ECB rate between the two currencies is within 2 % of parity on
-- every day of the window (EUR/USD in the summer of 2022, say), the same numeral
-- is the same money and nothing is raised.
{{ by_company_config('round_id') }}

with pairs as (
    select * from {{ ref('int_quality__figure_pairs') }}
    where {{ only_dirty('company_key') }} and (base_value = quote_value)
),

judged as (
    select
        *,
        coalesce(ecb_min >= 0.98 and ecb_max <= 1.02, false) as near_parity,
        case when base_value >= 1e9 then 1e9 when base_value >= 1e6 then 1e6 else 1 end as unit,
        case when base_value >= 1e9 then ' bn ' when base_value >= 1e6 then ' M ' else ' ' end as unit_name
    from pairs
)

select
    'swapped_currency' as check_name,
    'error' as severity,
    round_id,
    quote_articles[1] as article_id,
    round_label || ': the same figure is reported as ' || case when figure_kind = 'valuation' then 'a valuation of ' else '' end
        || base_label
        || ' (article' || case when len(base_article_labels) > 1 then 's ' else ' ' end || array_to_string(base_article_labels, ', ')
        || ') and as ' || quote_label
        || ' (article' || case when len(quote_article_labels) > 1 then 's ' else ' ' end || array_to_string(quote_article_labels, ', ')
        || ')'
        || case when not same_round then ' (rounds ' || round_id || ' and ' || other_round_id || ')' else '' end
        || case when reference_rate is not null
                then '; at the ECB rate of ' || printf('%.3f', reference_rate) || ' ' || quote_currency || '/' || base_currency
                     || ' on ' || strftime(reference_rate_date, '%Y-%m-%d') || ' the two differ by '
                     || printf('%.0f', abs(reference_rate - 1) * 100) || ' %'
                else '' end
        || case when near_parity then ': the two currencies were at parity, consistent'
                else ': one of the two currencies is wrong; check the original announcement' end as message,
    base_label || ' = ' || quote_label as observed,
    case when reference_rate is not null
         then base_label || ' is about '
              || regexp_replace(printf('%.3f', base_value * reference_rate / unit), '\.?0+$', '') || unit_name || quote_currency
              || ' (ECB ' || printf('%.4f', reference_rate) || ' ' || quote_currency || '/' || base_currency
              || ' on ' || strftime(reference_rate_date, '%Y-%m-%d') || ')'
         else 'one currency for one figure' end as expected,
    case when base_quotes = quote_quotes then base_quotes else base_quotes || ' | ' || quote_quotes end as quote,
    not near_parity as is_finding
from judged
