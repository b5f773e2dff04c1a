select
    cast(kind as varchar) as kind,
    cast(alias_key as varchar) as alias_key,
    cast(canonical_key as varchar) as canonical_key,
    cast(display_name as varchar) as display_name
from {{ source('raw', 'entity_aliases') }}
where alias_key is not null and canonical_key is not null
