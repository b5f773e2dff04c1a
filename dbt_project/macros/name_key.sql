{#-
    The alias key of a name as written: the SQL twin of
    orchestration.resolution.aliases.name_key (keep the word lists in sync;
    tests/resolution/test_name_key_parity.py checks that both agree).
    Accents and case folded, periods deleted ("S.A." -> "sa"), "&" -> "and",
    other punctuation -> space, descriptors dropped anywhere, legal forms dropped
    except in first position; a name made only of such words keeps them all.
    NULL for a blank name.
-#}
{% macro name_key_descriptors() -%}
    ['le', 'la', 'les', 'l', 'the', 'groupe', 'group', 'fonds', 'fund']
{%- endmacro %}

{% macro name_key_legal_forms() -%}
    ['sas', 'sasu', 'sa', 'sarl', 'sca', 'se', 'inc', 'incorporated', 'ltd', 'limited', 'llc', 'llp',
     'plc', 'gmbh', 'ag', 'bv', 'nv', 'spa', 'srl', 'corp', 'corporation']
{%- endmacro %}

{% macro name_key(expr) -%}
    {%- set tokens -%}
        string_split(trim(regexp_replace(
            replace(replace(lower(strip_accents(coalesce({{ expr }}, ''))), '&', ' and '), '.', ''),
            '[^a-z0-9]+', ' ', 'g')), ' ')
    {%- endset -%}
    {%- set kept -%}
        list_filter({{ tokens }}, lambda t, i:
            not list_contains({{ name_key_descriptors() }}, t)
            and (i = 1 or not list_contains({{ name_key_legal_forms() }}, t)))
    {%- endset -%}
    nullif(
        case when len({{ kept }}) = 0 then array_to_string({{ tokens }}, ' ')
             else array_to_string({{ kept }}, ' ') end,
        '')
{%- endmacro %}
