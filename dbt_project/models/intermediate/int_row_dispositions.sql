-- int_row_accounting summed: rows per return, row kind, disposition and reason. The same
-- rules applied to groups of rows (int_row_groups) instead of single rows: a data row is
-- loaded when any of its observations is, else quarantined when any is, else filtered
-- (macros/dispositions.sql for an observation's disposition). A row of a quarantined or
-- refused return is counted from rows_read. tests/dbt checks it against int_row_accounting.
with facts as (
    select
        g.*,
        oc.outcome_type,
        coalesce(tr.counted_offence or tr.counted_nationality, false) as counted,
        tr.set_aside_reason
    from {{ ref('int_row_groups') }} as g
    inner join {{ ref('int_returns') }} as ret using (return_id)
    left join {{ ref('int_outcome_map') }} as oc on g.outcome_raw = oc.outcome_raw
    left join {{ ref('int_table_roles') }} as tr on g.return_id = tr.return_id and g.table_id = tr.table_id
    where ret.status = 'loaded'
),

-- what the row's outcome does to its readable cells (the outcome text is the row's own)
outcomes as (
    select
        return_id, table_id, row_kind, has_outcome_column, outcome_raw, any_readable, any_unreadable, unreadable_reason, rows,
        counted, set_aside_reason,
        bool_or(({{ effective_outcome_type('has_outcome_column', 'outcome_type') }}) = '8') as outcome_loads,
        bool_or(has_outcome_column and outcome_type is null) as outcome_unrecognised,
        min({{ filtered_outcome_reason('outcome_type') }})
            filter (where ({{ effective_outcome_type('has_outcome_column', 'outcome_type') }}) <> '8'
                    and not (has_outcome_column and outcome_type is null)) as outcome_filter_reason
    from facts
    group by return_id, table_id, row_kind, has_outcome_column, outcome_raw, any_readable, any_unreadable, unreadable_reason, rows,
        counted, set_aside_reason
),

rows_per_group as (
    select
        return_id,
        row_kind,
        rows,
        any_readable and outcome_loads and counted as any_loaded,
        any_unreadable or (any_readable and outcome_unrecognised) as any_quarantined,
        least(
            case when any_unreadable then unreadable_reason end,
            case when any_readable and outcome_unrecognised then {{ unrecognised_outcome_reason('outcome_raw') }} end
        ) as quarantine_reason,
        case
            when any_readable and not counted then set_aside_reason
            when any_readable then outcome_filter_reason
        end as filter_reason
    from outcomes
),

loaded_rows as (
    select
        return_id,
        row_kind,
        case
            when row_kind <> 'data' then 'filtered'
            when any_loaded then 'loaded'
            when any_quarantined then 'quarantined'
            else 'filtered'
        end as disposition,
        case
            when row_kind = 'total' then 'totals row (not added: it would double count)'
            when row_kind = 'title' then 'title block or text outside a table'
            when row_kind = 'header' then 'header row'
            when row_kind = 'note' then 'note or footnote'
            when row_kind = 'blank' then 'blank row'
            when any_loaded then null
            when any_quarantined then quarantine_reason
            else filter_reason
        end as reason,
        rows
    from rows_per_group
)

select return_id, row_kind, disposition, reason, sum(rows)::bigint as row_count
from loaded_rows
group by all
union all
select
    return_id,
    cast(null as varchar) as row_kind,
    case when status = 'refused' then 'refused' else 'quarantined' end as disposition,
    reason,
    rows_read::bigint
from {{ ref('int_returns') }}
where status <> 'loaded'
