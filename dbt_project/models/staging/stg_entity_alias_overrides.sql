-- Hand-pinned resolutions from the seed: every name whose key is alias's key
-- resolves to canonical (its key and, as written, its display name).
select
    lower(trim(kind)) as kind,
    {{ name_key('alias') }} as alias_key,
    {{ name_key('canonical') }} as canonical_key,
    trim(canonical) as display_name
from {{ ref('entity_alias_overrides') }}
where kind is not null and alias is not null and canonical is not null
