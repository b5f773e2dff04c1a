-- raw.entity_aliases (rapidfuzz clusters) with the hand-pinned overrides applied
-- on top: an override on a name's key, or on the key it resolved to, wins.
with python as (
    select kind, alias_key, canonical_key, display_name
    from {{ ref('stg_entity_aliases') }}
    qualify row_number() over (partition by kind, alias_key order by canonical_key, display_name) = 1
),

overrides as (
    select kind, alias_key, canonical_key, display_name
    from {{ ref('stg_entity_alias_overrides') }}
    where alias_key is not null and canonical_key is not null
    qualify row_number() over (partition by kind, alias_key order by canonical_key, display_name) = 1
),

resolved as (
    select
        p.kind,
        p.alias_key,
        coalesce(o_alias.canonical_key, o_canon.canonical_key, p.canonical_key) as canonical_key,
        coalesce(o_alias.display_name, o_canon.display_name, p.display_name) as display_name,
        (o_alias.alias_key is not null or o_canon.alias_key is not null) as is_override
    from python as p
    left join overrides as o_alias on o_alias.kind = p.kind and o_alias.alias_key = p.alias_key
    left join overrides as o_canon on o_canon.kind = p.kind and o_canon.alias_key = p.canonical_key
    union all
    select o.kind, o.alias_key, o.canonical_key, o.display_name, true as is_override
    from overrides as o
    where not exists (select 1 from python as p where p.kind = o.kind and p.alias_key = o.alias_key)
)

select
    kind,
    alias_key,
    canonical_key,
    -- one display name per entity: a pinned one first
    first_value(display_name) over (
        partition by kind, canonical_key
        order by is_override desc, (alias_key = canonical_key) desc, display_name
    ) as display_name,
    is_override
from resolved
