-- One row per company that raised at least one round.
with rounds as (
    select * from {{ ref('rounds') }}
),

latest_valuation as (
    select company, valuation_eur
    from rounds
    where valuation_eur is not null
    qualify row_number() over (
        partition by company order by announced_on desc nulls last, valuation_eur desc
    ) = 1
),

per_company as (
    select
        company,
        min(company_key) as company_key,
        count(*) as rounds_count,
        sum(amount_eur::decimal(38, 2))::double as total_raised_eur  -- cents, exactly: whatever the sum order
    from rounds
    group by company
)

select
    cast(c.company as varchar) as company,
    cast(loc.city as varchar) as city,
    cast(loc.country as varchar) as country,
    cast(c.rounds_count as integer) as rounds_count,
    cast(c.total_raised_eur as double) as total_raised_eur,
    cast(v.valuation_eur as double) as latest_valuation_eur
from per_company as c
left join latest_valuation as v using (company)
left join {{ ref('int_company_locations') }} as loc using (company_key)
