{#-
    Aggregates over the distinct values of a group, spelled without DISTINCT:
    DuckDB plans every `agg(distinct x)` of a query as its own aggregation joined
    back on the grouping keys (four of them cost seconds on a few hundred
    thousand rows). These collect the group's values once and deduplicate each
    list instead, with exactly the same result.

    sorted_distinct_list(x)  = list_sort(list(distinct x)): the distinct values,
                               ascending, NULL last when the group has one
    distinct_count(x)        = count(distinct x): the distinct non-NULL values
-#}
{% macro sorted_distinct_list(expr) -%}
    (case when count({{ expr }}) < count(*)
          then list_append(list_sort(list_distinct(list({{ expr }}))), null)
          else list_sort(list_distinct(list({{ expr }}))) end)
{%- endmacro %}

{% macro distinct_count(expr) -%}
    len(list_distinct(list({{ expr }})))
{%- endmacro %}
