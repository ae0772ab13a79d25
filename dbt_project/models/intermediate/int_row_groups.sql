-- The raw rows of each current return grouped by what decides their disposition in row
-- accounting (int_row_accounting), with how many rows each group holds: the row kind and,
-- for a data row, its outcome text and whether its count cells were readable. Seed-free,
-- so incremental per return version (macros/return_versions.sql); int_row_dispositions
-- applies the outcome map. A data row that gave no observation has null facts.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_stale_return_versions() }}"
) }}

with new_returns as (
    {{ new_return_versions() }}
),

new_observations as (
    select o.return_id, o.table_id, o.sheet, o.source_row, o.from_crosstab, o.has_outcome_column, o.outcome_raw, o.count_raw, o.source_column
    from {{ ref('stg_raw__observations') }} as o
    inner join new_returns as n on o.return_id = n.return_id and o.ingested_at is not distinct from n.ingested_at
),

-- a record-level or aggregate row gives exactly one observation: group those rows by
-- their count text first, so the count rule runs once per distinct text
single_cell_rows as (
    select return_id, table_id, has_outcome_column, outcome_raw, count_raw, source_column, count(*) as rows
    from new_observations
    where not from_crosstab
    group by all
),

-- one line per group of data rows with the same facts; a cross-tab row (one observation
-- per column across) is one line
row_facts as (
    select
        return_id,
        table_id,
        has_outcome_column,
        outcome_raw,
        count_rule <> 'unreadable' as any_readable,
        count_rule = 'unreadable' as any_unreadable,
        case when count_rule = 'unreadable' then {{ unreadable_count_reason('count_raw', 'source_column') }} end as unreadable_reason,
        rows
    from (select *, {{ count_rule('count_raw') }} as count_rule from single_cell_rows)
    union all
    select
        return_id,
        table_id,
        has_outcome_column,
        outcome_raw,
        bool_or(count_rule <> 'unreadable'),
        bool_or(count_rule = 'unreadable'),
        min(case when count_rule = 'unreadable' then {{ unreadable_count_reason('count_raw', 'source_column') }} end),
        1
    from (select *, {{ count_rule('count_raw') }} as count_rule from new_observations where from_crosstab)
    group by return_id, table_id, sheet, source_row, has_outcome_column, outcome_raw
),

data_row_groups as (
    select return_id, table_id, has_outcome_column, outcome_raw, any_readable, any_unreadable, unreadable_reason, sum(rows) as rows
    from row_facts
    group by all
),

kinds as (
    select r.return_id, r.table_id, r.row_kind, count(*) as rows
    from {{ source('raw', 'rows') }} as r
    inner join new_returns as n on r.return_id = n.return_id
    group by all
),

data_rows_with_observations as (
    select return_id, table_id, sum(rows) as rows
    from data_row_groups
    group by return_id, table_id
)

select
    n.return_id,
    n.ingested_at,
    g.table_id,
    g.row_kind,
    g.has_outcome_column,
    g.outcome_raw,
    g.any_readable,
    g.any_unreadable,
    g.unreadable_reason,
    g.rows::bigint as rows
from (
    select return_id, table_id, row_kind, null::boolean as has_outcome_column, null::varchar as outcome_raw,
           null::boolean as any_readable, null::boolean as any_unreadable, null::varchar as unreadable_reason, rows
    from kinds
    where row_kind is distinct from 'data'
    union all
    -- data rows without observations (a table not found, an empty list across)
    select k.return_id, k.table_id, 'data', null, null, null, null, null, k.rows - coalesce(w.rows, 0)
    from kinds as k
    left join data_rows_with_observations as w on k.return_id = w.return_id and k.table_id is not distinct from w.table_id
    where k.row_kind = 'data' and k.rows > coalesce(w.rows, 0)
    union all
    select return_id, table_id, 'data', has_outcome_column, outcome_raw, any_readable, any_unreadable, unreadable_reason, rows
    from data_row_groups
) as g
inner join new_returns as n on g.return_id = n.return_id
