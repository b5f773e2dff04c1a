-- Every usable round mention (an amount, a currency, a company) lands in exactly one round.
select m.mention_id
from {{ ref('stg_round_mentions') }} as m
left join {{ ref('int_round_mentions_resolved') }} as r using (mention_id)
where m.amount > 0 and m.currency is not null and m.company is not null and trim(m.company) <> ''
group by m.mention_id
having count(r.round_id) <> 1
