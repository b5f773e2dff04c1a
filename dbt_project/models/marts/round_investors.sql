-- One row per round and investor.
select
    cast(round_id as varchar) as round_id,
    cast(investor as varchar) as investor,
    cast(bool_or(is_lead) as boolean) as is_lead
from {{ ref('int_round_investors') }}
group by round_id, investor
