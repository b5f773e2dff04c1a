-- One row per round and investor.
{{ by_company_config('round_id') }}

select
    cast(round_id as varchar) as round_id,
    cast(investor as varchar) as investor,
    cast(bool_or(is_lead) as boolean) as is_lead
from {{ ref('int_round_investors') }}
where {{ only_dirty_rounds('round_id') }}
group by round_id, investor
