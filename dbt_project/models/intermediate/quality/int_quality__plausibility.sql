-- Rule 8, plausibility: a round amount under 10 000 or over 100 billion, in the
-- currency it is printed in, whatever that currency is. Error: most likely a unit
-- misread ("2,5" without its "millions", "millions" for "milliers") or a figure
-- that is not a round (a market total, a fund, a price).
-- One finding per round, figure and currency, naming every article that prints it.
{{ by_company_config('round_id') }}

with mentions as (
    select * from {{ ref('int_quality__mentions') }}
    where amount is not null and {{ only_dirty('company_key') }}
),

grouped as (
    select
        round_id,
        min(round_label) as round_label,
        amount,
        currency,
        min(amount_text) as amount_text,
        {{ sorted_distinct_list('article_id') }} as article_ids,
        {{ sorted_distinct_list('article_label') }} as article_labels,
        array_to_string({{ sorted_distinct_list('quote') }}, ' | ') as quotes
    from mentions
    where amount < 10000 or amount > 100e9
    group by round_id, amount, currency
)

select
    'plausibility' as check_name,
    'error' as severity,
    round_id,
    article_ids[1] as article_id,
    round_label || ': an amount of ' || printf('%,.0f', amount) || ' ' || currency
        || coalesce(' (printed "' || amount_text || '")', '')
        || ' in article' || case when len(article_labels) > 1 then 's ' else ' ' end || array_to_string(article_labels, ', ')
        || case when amount < 10000 then ' is below 10 000: probably a lost unit (millions, k€) or not a round'
                else ' is above 100 billion: probably a unit misread or a market total, not a round' end as message,
    printf('%,.0f', amount) || ' ' || currency as observed,
    'between 10,000 and 100,000,000,000 ' || currency as expected,
    quotes as quote,
    true as is_finding
from grouped
