{#-
    The ECB conversion of a relation's amount and valuation to EUR and USD: one
    row per row of `relation` (unique on `key`) with fx_rate_date, amount_eur,
    amount_usd, valuation_eur and valuation_usd, at the reference rates of the last
    business day on or before the date column `on_date` (an ASOF join on `fx`, the
    ECB rates: per_eur = units of the currency for 1 EUR). NULL where no rate is
    known (no date, or a date before the currency's first rate).
    `relation` has the columns amount, currency, valuation, valuation_currency.
    Used by int_round_mentions_converted (each mention at its own date) and
    marts.rounds (each round at its date): one definition of the conversion.
-#}
{% macro ecb_conversions(relation, key, on_date, fx) -%}
    -- The rate is looked up once per distinct (currency, date) pair (a few thousand
    -- dates, against hundreds of thousands of rows), then each row finds its rate by
    -- an equi-join on them. The lookup is the ASOF join spelled as a window: each
    -- date, sorted after the rates of its currency on or before it, takes the last
    -- of them (an ASOF join on a CTE of unknown size may be planned as a nested
    -- loop over every rate of the currency).
    with ecb_dates as (
        select distinct currency, {{ on_date }} as on_date
        from (
            select currency, {{ on_date }} from {{ relation }}
            union all
            select 'USD', {{ on_date }} from {{ relation }}
            union all
            select valuation_currency, {{ on_date }} from {{ relation }} where valuation is not null
        )
        where currency is not null and {{ on_date }} is not null
    ),

    ecb_rates as (
        select currency, on_date, rate_date, per_eur
        from (
            select
                currency,
                on_date,
                is_date,
                last_value(rate_date ignore nulls) over w as rate_date,
                last_value(per_eur ignore nulls) over w as per_eur
            from (
                select currency, rate_date as on_date, rate_date, per_eur, false as is_date
                from {{ fx }}
                where rate_date is not null and currency in (select currency from ecb_dates)
                union all
                select currency, on_date, null, null, true
                from ecb_dates
            )
            window w as (partition by currency order by on_date, is_date
                         rows between unbounded preceding and current row)
        )
        where is_date and rate_date is not null
    )

    select
        m.{{ key }},
        af.rate_date as fx_rate_date,
        m.amount / af.per_eur as amount_eur,
        m.amount / af.per_eur * uf.per_eur as amount_usd,
        m.valuation / vf.per_eur as valuation_eur,
        m.valuation / vf.per_eur * uf.per_eur as valuation_usd
    from {{ relation }} as m
    left join ecb_rates as af
        on af.currency = m.currency and af.on_date = m.{{ on_date }}
    left join ecb_rates as uf
        on uf.currency = 'USD' and uf.on_date = m.{{ on_date }}
    left join ecb_rates as vf
        on vf.currency = m.valuation_currency and vf.on_date = m.{{ on_date }} and m.valuation is not null
{%- endmacro %}
