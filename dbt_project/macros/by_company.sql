{#-
    Incremental models by company (docs: models/intermediate/_intermediate.yml, int_company_changes).

    A company-local model reads only rows of one company at a time (its mentions, its
    rounds, the figures of the articles that mention it...). int_company_changes digests
    everything such a model reads, per company, and compares it with the digests the
    tables were last built from (int_company_digests, written last): the companies whose
    digest changed, appeared or disappeared are dirty. On an incremental run a
    company-local model deletes the dirty companies' rows (pre_hook, in the transaction
    that inserts their new rows) and computes only their rows.

    by_company_config(key)    the config of such a model; key: 'company_key' when the
                              model has that column, else 'round_id' (rows found by their
                              round: a round's id names its company, md5(company_key|...))
    dirty_companies()         the subquery of the dirty company keys
    by_company_incremental()  is_incremental(), and int_company_changes is built by this invocation
    only_dirty(col)           a predicate: col is a dirty company's key (true on a full build)
    only_dirty_rounds(col)    a predicate: col is a round of a dirty company (true on a full build);
                              reads int_rounds, so only for models downstream of it
    delete_dirty(key)         the pre_hook: deletes the dirty companies' rows from {{ this }}

    The refs are made whatever is_incremental() says: dbt records a model's dependencies
    when it parses the model, and is_incremental() is false then. Not in a unit test, whose
    refs are its given inputs (and which runs with is_incremental false).
-#}

{% macro in_unit_test() -%}
    {{ return(model is mapping and model.get('resource_type') == 'unit_test') }}
{%- endmacro %}

{% macro by_company_config(key='company_key') -%}
    {#- the refs the pre_hook makes, recorded when the model is parsed -#}
    {%- if not in_unit_test() -%}
        {%- set changes = ref('int_company_changes') -%}
        {%- if key != 'company_key' -%}{%- set rounds = ref('int_rounds') -%}{%- endif -%}
    {%- endif -%}
    {{ config(
        materialized='incremental',
        tags=['by_company'],
        incremental_strategy='append',
        on_schema_change='fail',
        pre_hook="{{ delete_dirty('" ~ key ~ "') }}",
    ) }}
{%- endmacro %}

{#- is_incremental(), and this build recomputes int_company_changes: a selection without it
    (`dbt run --select rounds`) would read the dirty companies of another build, so the model
    is then rebuilt whole (all its rows deleted, all computed) -#}
{% macro by_company_incremental() -%}
    {%- if not is_incremental() -%}
        {{ return(false) }}
    {%- endif -%}
    {{ return(('model.' ~ project_name ~ '.int_company_changes') in selected_resources) }}
{%- endmacro %}

{% macro dirty_companies() -%}
    (select company_key from {{ ref('int_company_changes') }} where is_dirty)
{%- endmacro %}

{% macro only_dirty(column='company_key') -%}
    {%- if not in_unit_test() -%}{%- set changes = ref('int_company_changes') -%}{%- endif -%}
    {%- if by_company_incremental() -%}
        {{ column }} in {{ dirty_companies() }}
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{% macro only_dirty_rounds(column='round_id') -%}
    {%- if not in_unit_test() -%}
        {%- set changes = ref('int_company_changes') -%}
        {%- set rounds = ref('int_rounds') -%}
    {%- endif -%}
    {%- if by_company_incremental() -%}
        {{ column }} in (select round_id from {{ ref('int_rounds') }} where company_key in {{ dirty_companies() }})
    {%- else -%}
        true
    {%- endif -%}
{%- endmacro %}

{% macro delete_dirty(key='company_key') -%}
    {%- if is_incremental() and not by_company_incremental() -%}
        delete from {{ this }}
    {%- elif is_incremental() -%}
        {%- if key == 'company_key' -%}
            delete from {{ this }} where company_key in {{ dirty_companies() }}
        {%- else -%}
            {#- every row of a round that is not a clean company's: int_rounds is already
                rebuilt for the dirty companies, and a clean company keeps its round ids -#}
            delete from {{ this }}
            where {{ key }} not in (
                select round_id from {{ ref('int_rounds') }} where company_key not in {{ dirty_companies() }}
            )
        {%- endif -%}
    {%- else -%}
        select 1 as nothing_to_delete
    {%- endif -%}
{%- endmacro %}
