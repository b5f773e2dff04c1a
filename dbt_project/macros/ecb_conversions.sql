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
    select
        m.{{ key }},
        af.rate_date as fx_rate_date,
        m.amount / af.per_eur as amount_eur,
        m.amount / af.per_eur * uf.per_eur as amount_usd,
        m.valuation / vf.per_eur as valuation_eur,
        m.valuation / vf.per_eur * uf.per_eur as valuation_usd
    from {{ relation }} as m
    left join (
        select m.{{ key }}, r.rate_date, r.per_eur
        from {{ relation }} as m
        asof join {{ fx }} as r on r.currency = m.currency and m.{{ on_date }} >= r.rate_date
    ) as af using ({{ key }})
    left join (
        select m.{{ key }}, r.per_eur
        from {{ relation }} as m
        asof join {{ fx }} as r on r.currency = 'USD' and m.{{ on_date }} >= r.rate_date
    ) as uf using ({{ key }})
    left join (
        select m.{{ key }}, r.per_eur
        from {{ relation }} as m
        asof join {{ fx }} as r on r.currency = m.valuation_currency and m.{{ on_date }} >= r.rate_date
        where m.valuation is not null
    ) as vf using ({{ key }})
{%- endmacro %}
