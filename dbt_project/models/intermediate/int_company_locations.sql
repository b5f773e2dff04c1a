-- Where each company is based: the city most facts give (facts whose sentence
-- names the company first: a roundup line "Sylvea (Bordeaux)" attributed to
-- another company weighs less), spelled as most often written (then the best
-- capitalised), with its country; else the most frequent country alone.
with facts as (
    select
        n.canonical_key as company_key,
        f.city,
        lower(strip_accents(f.city)) as city_key,
        f.country,
        coalesce(strpos(lower(strip_accents(f.quote)), lower(strip_accents(trim(f.company)))) > 0, false) as named
    from {{ ref('stg_company_facts') }} as f
    join {{ ref('int_entity_names') }} as n
        on n.kind = 'company' and n.name = trim(f.company)
),

city_counts as (
    select company_key, city_key, count(*) filter (where named) as n_named, count(*) as n
    from facts
    where city_key is not null
    group by company_key, city_key
),

cities as (
    select company_key, city_key
    from city_counts
    qualify row_number() over (partition by company_key order by n_named desc, n desc, city_key) = 1
),

city_form_counts as (
    select f.company_key, f.city, count(*) as n
    from facts as f
    join cities as c using (company_key, city_key)
    group by f.company_key, f.city
),

city_forms as (
    select company_key, city
    from city_form_counts
    qualify row_number() over (
        partition by company_key
        order by n desc, length(regexp_replace(city, '[^A-Z]', '', 'g')) desc, city
    ) = 1
),

city_country_counts as (
    select f.company_key, f.country, count(*) as n
    from facts as f
    join cities as c using (company_key, city_key)
    where f.country is not null
    group by f.company_key, f.country
),

city_countries as (
    select company_key, country
    from city_country_counts
    qualify row_number() over (partition by company_key order by n desc, country) = 1
),

country_counts as (
    select company_key, country, count(*) filter (where named) as n_named, count(*) as n
    from facts
    where country is not null
    group by company_key, country
),

countries as (
    select company_key, country
    from country_counts
    qualify row_number() over (partition by company_key order by n_named desc, n desc, country) = 1
),

companies as (
    select distinct company_key from facts
)

select
    c.company_key,
    cf.city,
    coalesce(cc.country, co.country) as country
from companies as c
left join city_forms as cf using (company_key)
left join city_countries as cc using (company_key)
left join countries as co using (company_key)
