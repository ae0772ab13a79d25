-- Every input row accounted for: loaded, filtered (with reason) or quarantined (with
-- reason). A row of a quarantined or refused return is counted from rows_read.
-- A view (one row per source row, evaluated when queried): the marts read the same
-- accounting summed per return (int_row_dispositions).
{{ config(materialized='view') }}

with obs as (
    select
        return_id, sheet, source_row,
        bool_or(disposition = 'loaded') as any_loaded,
        bool_or(disposition = 'quarantined') as any_quarantined,
        min(disposition_reason) filter (where disposition = 'quarantined') as quarantine_reason,
        min(disposition_reason) filter (where disposition = 'filtered') as filter_reason
    from {{ ref('int_observations') }}
    group by all
),

loaded_rows as (
    select
        r.return_id,
        r.sheet,
        r.source_row,
        r.row_kind,
        case
            when r.row_kind <> 'data' then 'filtered'
            when o.any_loaded then 'loaded'
            when o.any_quarantined then 'quarantined'
            else 'filtered'
        end as disposition,
        case
            when r.row_kind = 'total' then 'totals row (not added: it would double count)'
            when r.row_kind = 'title' then 'title block or text outside a table'
            when r.row_kind = 'header' then 'header row'
            when r.row_kind = 'note' then 'note or footnote'
            when r.row_kind = 'blank' then 'blank row'
            when o.any_loaded then null
            when o.any_quarantined then o.quarantine_reason
            else o.filter_reason
        end as reason
    from {{ ref('stg_raw__rows') }} as r
    left join obs as o using (return_id, sheet, source_row)
    inner join {{ ref('int_returns') }} as ret using (return_id)
    where ret.status = 'loaded'
),

whole_returns as (
    select
        return_id,
        cast(null as varchar) as sheet,
        cast(null as integer) as source_row,
        cast(null as varchar) as row_kind,
        case when status = 'refused' then 'refused' else 'quarantined' end as disposition,
        reason,
        rows_read
    from {{ ref('int_returns') }}
    where status <> 'loaded'
)

select *, 1::bigint as row_count from loaded_rows
union all
select return_id, sheet, source_row, row_kind, disposition, reason, rows_read from whole_returns
