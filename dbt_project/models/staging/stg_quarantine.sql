select
    cast(path as varchar) as path,
    cast(reason as varchar) as reason,
    cast(detail as varchar) as detail,
    cast(content_hash as varchar) as content_hash,
    cast(seen_at as timestamp) as seen_at
from {{ source('raw', 'quarantine') }}
