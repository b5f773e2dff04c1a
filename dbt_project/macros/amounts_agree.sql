{#-
    True when two amounts (same unit) can be the same figure, given their
    qualifiers: within `tol` of each other (twice that when either is approximate);
    "plus de X" (at_least) agrees with any figure from X*(1-tol) to X*1.3, "moins de X"
    (at_most) with any from X*0.7 to X*(1+tol).
-#}
{% macro amounts_agree(a, b, qa, qb, tol) -%}
    case
        when {{ a }} is null or {{ b }} is null then false
        when {{ qa }} = 'at_least' and coalesce({{ qb }}, 'exact') <> 'at_least'
            then {{ b }} >= {{ a }} * (1 - {{ tol }}) and {{ b }} <= {{ a }} * 1.3
        when {{ qb }} = 'at_least' and coalesce({{ qa }}, 'exact') <> 'at_least'
            then {{ a }} >= {{ b }} * (1 - {{ tol }}) and {{ a }} <= {{ b }} * 1.3
        when {{ qa }} = 'at_most' and coalesce({{ qb }}, 'exact') <> 'at_most'
            then {{ b }} <= {{ a }} * (1 + {{ tol }}) and {{ b }} >= {{ a }} * 0.7
        when {{ qb }} = 'at_most' and coalesce({{ qa }}, 'exact') <> 'at_most'
            then {{ a }} <= {{ b }} * (1 + {{ tol }}) and {{ a }} >= {{ b }} * 0.7
        else abs({{ a }} - {{ b }}) <= greatest({{ a }}, {{ b }})
            * (case when {{ qa }} = 'approx' or {{ qb }} = 'approx' then 2 * {{ tol }} else {{ tol }} end)
    end
{%- endmacro %}
