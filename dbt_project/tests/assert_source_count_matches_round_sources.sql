-- rounds.source_count is the number of distinct articles that report the round,
-- and round_sources holds exactly one row per such article.
select r.round_id, r.source_count, count(distinct s.article_id) as articles
from {{ ref('rounds') }} as r
left join {{ ref('round_sources') }} as s using (round_id)
group by r.round_id, r.source_count
having r.source_count <> count(distinct s.article_id)
