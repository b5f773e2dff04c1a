{#- The contract's vocabularies (CONTRACT.md), in one place. -#}
{% macro round_type_values() -%}
    {{ return(['pre_seed', 'seed', 'series_a', 'series_b', 'series_c', 'series_d', 'series_e', 'series_f',
               'series_g', 'series_h', 'series_i', 'series_j', 'growth', 'bridge', 'debt', 'grant', 'ipo']) }}
{%- endmacro %}

{% macro precision_values() -%}
    {{ return(['day', 'month', 'quarter', 'year']) }}
{%- endmacro %}

{% macro qualifier_values() -%}
    {{ return(['exact', 'approx', 'at_least', 'at_most']) }}
{%- endmacro %}

{#- `expr` when it is one of `values`, else NULL. -#}
{% macro in_vocabulary(expr, values) -%}
    case when {{ expr }} in ({% for v in values %}'{{ v }}'{% if not loop.last %}, {% endif %}{% endfor %}) then {{ expr }} end
{%- endmacro %}
