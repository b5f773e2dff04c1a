{#-
    Incremental models by article (int_quality__period_comparisons): a model that reads one
    article at a time (its text, its figures' and mentions' sentences) keeps a row per article
    it has read, with the article's scan key, and on an incremental build reads only the
    articles whose key is new.

    article_scan_keys()   the subquery (article_id, scan_key) of every article now known: a sum of
                          DuckDB row hashes of the article's metadata and of the sentences the parse
                          quoted for its figures and round mentions. Its text is known by its id
                          (the hash of the file's bytes); the code that makes the text and the
                          quotes from the bytes (ingest and parser versions) is in the build's
                          incremental basis (orchestration/assets/dbt.py): when it changes, dbt
                          rebuilds everything.
    delete_stale_scans()  the pre_hook: deletes the rows of articles gone or whose key changed
-#}

{% macro article_scan_keys() -%}
    select article_id, sum(h) as scan_key
    from (
        select article_id, hash(article_id, title, lang, published_on, source, url) as h
        from {{ ref('stg_articles') }}
        union all
        select article_id, hash('figure', quote) from {{ ref('stg_figures') }}
        union all
        select article_id, hash('mention', quote) from {{ ref('stg_round_mentions') }}
    )
    group by article_id
{%- endmacro %}

{% macro delete_stale_scans() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} as t
        where not exists (
            select 1 from ({{ article_scan_keys() }}) as k
            where k.article_id = t.article_id and k.scan_key = t.scan_key
        )
    {%- else -%}
        select 1 as nothing_to_delete
    {%- endif -%}
{%- endmacro %}
