-- One row per city: each company is counted in the city where it is based.
with rounds as (
    select r.*
    from {{ ref('rounds') }} as r
    where r.city is not null
),

companies as (
    select company, city, country from {{ ref('companies') }} where city is not null
),

city_country as (
    select city, country
    from (select city, country, count(*) as n from companies where country is not null group by all)
    qualify row_number() over (partition by city order by n desc, country) = 1
),

largest as (
    select city, company as largest_round_company, amount_eur as largest_round_eur
    from rounds
    where amount_eur is not null
    qualify row_number() over (partition by city order by amount_eur desc, company) = 1
),

round_stats as (
    select
        city,
        count(distinct round_id) as rounds_count,
        sum(amount_eur::decimal(38, 2))::double as total_raised_eur,  -- in cents, exactly: a parallel sum of doubles depends on its order
        sum(amount_usd::decimal(38, 2))::double as total_raised_usd,
        median(amount_eur) as median_round_eur,
        max(announced_on) as last_round_on
    from rounds
    group by city
),

investor_stats as (
    select r.city, count(distinct ri.investor) as investors_count
    from rounds as r
    join {{ ref('round_investors') }} as ri using (round_id)
    group by r.city
),

company_stats as (
    select city, count(distinct company) as companies_count from companies group by city
)

select
    cast(c.city as varchar) as city,
    cast(cc.country as varchar) as country,
    cast(c.companies_count as integer) as companies_count,
    cast(coalesce(s.rounds_count, 0) as integer) as rounds_count,
    cast(s.total_raised_eur as double) as total_raised_eur,
    cast(s.total_raised_usd as double) as total_raised_usd,
    cast(s.median_round_eur as double) as median_round_eur,
    cast(l.largest_round_company as varchar) as largest_round_company,
    cast(l.largest_round_eur as double) as largest_round_eur,
    cast(coalesce(i.investors_count, 0) as integer) as investors_count,
    cast(s.last_round_on as date) as last_round_on
from company_stats as c
left join city_country as cc using (city)
left join round_stats as s using (city)
left join largest as l using (city)
left join investor_stats as i using (city)
