{#-
    The place of a round type in the sequence of stages (int_quality__round_order):
    0 pre_seed, 1 seed, 2 series_a ... 11 series_j; NULL for the types that have
    no place in it (growth, bridge, debt, grant, ipo) and for NULL.
-#}
{% macro stage_of(t) -%}
    case
            when {{ t }} = 'pre_seed' then 0
            when {{ t }} = 'seed' then 1
            when regexp_matches({{ t }}, '^series_[a-j]$') then ascii(substr({{ t }}, 8, 1)) - ascii('a') + 2
        end
{%- endmacro %}
