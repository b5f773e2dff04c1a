select
    cast(rate_date as date) as rate_date,
    upper(cast(currency as varchar)) as currency,
    cast(per_eur as double) as per_eur
from {{ source('raw', 'fx_rates') }}
where per_eur > 0
