-- Per return: rows in = rows loaded + rows filtered + rows quarantined (+ refused), with
-- the reasons. The pipeline's conservation check reads this. int_row_dispositions is
-- int_row_accounting summed per return, row kind, disposition and reason.
select
    a.return_id,
    r.source_file,
    r.force_name,
    r.status as return_status,
    a.disposition,
    coalesce(a.reason, 'community resolution data') as reason,
    sum(a.row_count)::bigint as rows
from {{ ref('int_row_dispositions') }} as a
inner join {{ ref('int_returns') }} as r using (return_id)
group by all
order by r.source_file, a.disposition, reason
