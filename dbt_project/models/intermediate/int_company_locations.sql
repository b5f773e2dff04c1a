-- Where each company is based: the city most facts give, counting first the
-- facts whose sentence ties the city to the company ("X-based Acme", "Acme (X)",
-- "Acme ... basée à X", "the company is based in X"), then those whose sentence
-- names the company (a roundup line "Sylvea (Bordeaux)" attributed to another
-- company weighs less); spelled the same for every company (the best
-- capitalised form, then the most frequent), with its country; else the most
-- frequent country.
-- A setting fact (basis 'setting': the article's title "À Paris, …" or dateline
-- "LYON —") is weaker than any stated one: it counts only for a company whose
-- city no article states, and only when its country agrees with the company's
-- stated country (or none is stated).
with all_facts as (
    select
        n.canonical_key as company_key,
        f.city,
        lower(strip_accents(f.city)) as city_key,
        f.country,
        coalesce(f.basis, 'stated') as basis,
        lower(strip_accents(coalesce(f.quote, ''))) as quote_key,
        lower(strip_accents(trim(f.company))) as company_as_written
    from {{ ref('stg_company_facts') }} as f
    join {{ ref('int_entity_names') }} as n
        on n.kind = 'company' and n.name = trim(f.company)
),

stated_cities as (
    select distinct company_key
    from all_facts
    where basis = 'stated' and city is not null
),

stated_country_counts as (
    select company_key, country, count(*) as n
    from all_facts
    where basis = 'stated' and country is not null
    group by company_key, country
),

stated_countries as (
    select company_key, country
    from stated_country_counts
    qualify row_number() over (partition by company_key order by n desc, country) = 1
),

raw_facts as (
    select company_key, city, city_key, country, quote_key, company_as_written
    from all_facts
    where basis = 'stated'
    union all
    select f.company_key, f.city, f.city_key, f.country, f.quote_key, f.company_as_written
    from all_facts as f
    left join stated_countries as sc using (company_key)
    where f.basis = 'setting'
        and f.company_key not in (select company_key from stated_cities)
        and (sc.country is null or sc.country = f.country)
),

located as (
    select
        *,
        strpos(quote_key, company_as_written) as company_pos,
        -- where "based in <city>" (or its French forms) starts, 0 when absent
        coalesce(list_min(list_filter(
            list_transform(
                ['based in ', 'headquartered in ', 'basee a ', 'base a ', 'basee en ', 'base en ',
                 'installee a ', 'installe a ', 'implantee a ', 'implante a ', 'siege a ',
                 'siege social a ', 'siege social est a ', 'siege est a '],
                lambda phrase: strpos(quote_key, phrase || city_key)),
            lambda pos: pos > 0)), 0) as based_pos
    from raw_facts
    where city_key is not null
    union all
    select *, strpos(quote_key, company_as_written), 0
    from raw_facts
    where city_key is null
),

facts as (
    select
        company_key,
        city,
        city_key,
        country,
        company_pos > 0 as named,
        -- the sentence ties this city to this company
        city_key is not null and (
            strpos(quote_key, city_key || '-based ' || company_as_written) > 0
            or strpos(quote_key, company_as_written || ' (' || city_key || ')') > 0
            or (based_pos > 0 and company_pos > 0 and company_pos < based_pos
                and based_pos - company_pos <= 80 + length(company_as_written))
            or (based_pos > 1 and regexp_matches(
                substr(quote_key, greatest(1, based_pos - 40), least(based_pos - 1, 40)),
                '(the company|the startup|the start-up|the firm|it|la societe|la start-up|la startup|la jeune pousse|l''entreprise|elle|il)( is| est)? $'))
        ) as based
    from located
),

city_counts as (
    select
        company_key,
        city_key,
        count(*) filter (where based) as n_based,
        count(*) filter (where named) as n_named,
        count(*) as n
    from facts
    where city_key is not null
    group by company_key, city_key
),

cities as (
    select company_key, city_key
    from city_counts
    qualify row_number() over (
        partition by company_key order by n_based desc, n_named desc, n desc, city_key
    ) = 1
),

-- one spelling per city across all companies ("San Francisco" beats "San francisco"
-- and "SAN FRANCISCO")
city_form_counts as (
    select city_key, city, count(*) as n
    from facts
    where city_key is not null
    group by city_key, city
),

city_spellings as (
    select city_key, city
    from city_form_counts
    qualify row_number() over (
        partition by city_key
        order by (city = upper(city)) asc, length(regexp_replace(city, '[^A-Z]', '', 'g')) desc, n desc, city
    ) = 1
),

city_forms as (
    select c.company_key, s.city
    from cities as c
    join city_spellings as s using (city_key)
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
