-- Reported figures: the mentions that print the same value in the same currency
-- for the same round (235 M USD in articles 000 and 001) grouped into one figure,
-- with its interval, its sources and the dates the exchange-rate window needs.
-- Not a rule: the pair models read it (int_quality__figure_pairs,
-- int_quality__conflicting_amounts).
--
-- figure_scope: 'all' groups every figure of int_quality__mention_figures (the
-- mentions' own figures and the inline conversions: the currency pairs);
-- 'mention' groups only the mentions' own figures (conflicting amounts compares
-- what the round mentions state, not the inline conversions).
{{ by_company_config('company_key') }}

-- A group without inline conversions is the same in both scopes, so the figures
-- are grouped once ('mention' scope, and 'all' for the groups no inline figure
-- joins); only the groups an inline figure joins are grouped again with it.
-- (Grouping every figure twice cost half the model at 100k articles.)

{%- set aggregates %}
    round_id,
    min(company) as company,
    min(company_key) as company_key,
    max(round_type) as round_type,
    max(round_label) as round_label,
    figure_kind,
    currency,
    value,
    min(value_label) as value_label,
    min(value_lo) as value_lo,
    max(value_hi) as value_hi,
    max(rel_half) as rel_half,
    {{ sorted_distinct_list('article_id') }} as article_ids,
    {{ sorted_distinct_list('article_label') }} as article_labels,
    {{ sorted_distinct_list('mention_id') }} as mention_ids,
    array_to_string({{ sorted_distinct_list('quote') }}, ' | ') as quotes,
    min(announced_on) as announced_on,
    -- the calendar dates involved: the round's date(s), the end of an imprecise
    -- announcement period, the articles' own dates (the ECB range then starts at
    -- the last business day on or before the first of them)
    least(min(announced_on), min(article_published_on)) as date_min,
    greatest(
        max(case announced_precision
                when 'month' then cast(announced_on + interval 1 month - interval 1 day as date)
                when 'quarter' then cast(announced_on + interval 3 month - interval 1 day as date)
                when 'year' then cast(announced_on + interval 1 year - interval 1 day as date)
                else announced_on end),
        max(article_published_on)
    ) as date_max,
    min(fx_rate_date) filter (where announced_precision = 'day') as day_precise_fx_date,
    min(fx_rate_date) as any_fx_date,
    bool_or(article_published_on is null) as has_undated_article,
    bool_or(announced_on is not null and coalesce(announced_precision, '') <> 'day') as has_imprecise_date,
    bool_or(origin = 'inline') as has_inline
{%- endset %}

with inline_groups as (
    select distinct round_id, figure_kind, currency, value
    from {{ ref('int_quality__mention_figures') }}
    where origin = 'inline' and {{ only_dirty('company_key') }}
),

mention_scope as materialized (
    select
{{ aggregates }}
    from {{ ref('int_quality__mention_figures') }}
    where origin = 'mention' and {{ only_dirty('company_key') }}
    group by round_id, figure_kind, currency, value
),

all_scope_with_inline as (
    select
{{ aggregates }}
    from {{ ref('int_quality__mention_figures') }} f
    semi join inline_groups g
       on g.round_id is not distinct from f.round_id and g.figure_kind is not distinct from f.figure_kind
          and g.currency is not distinct from f.currency and g.value is not distinct from f.value
    where {{ only_dirty('f.company_key') }}
    group by round_id, figure_kind, currency, value
)

select 'all' as figure_scope, * from all_scope_with_inline
union all
select 'all' as figure_scope, m.* from mention_scope m
anti join inline_groups g
  on g.round_id is not distinct from m.round_id and g.figure_kind is not distinct from m.figure_kind
     and g.currency is not distinct from m.currency and g.value is not distinct from m.value
union all
select 'mention' as figure_scope, * from mention_scope
