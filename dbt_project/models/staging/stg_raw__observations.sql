-- One row per count cell: a record-level row is one observation with count '1'; an
-- aggregate row one observation from its count column; a cross-tab row one observation
-- per column across (headed by a period, a nationality, an offence, an outcome, ...; a
-- two-row header gives each column two such headings). Values stay raw text here; intermediate
-- models interpret them (counts and victim ages through int_count_map and
-- int_victim_age_map, one evaluation per distinct text).
-- Incremental per return version (macros/return_versions.sql): parsing a return depends on
-- its own raw rows and tables only, so a run parses the returns that changed, not all.
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_stale_return_versions() }}"
) }}

with new_returns as (
    {{ new_return_versions() }}
),

data_rows as (
    select
        r.return_id, n.ingested_at, r.sheet, r.source_row, r.table_id, r.cells,
        t.shape, t.default_period, t.across_role, t.across_cols, t.across_values,
        t.across_role2, t.across_values2, t.nationality_cols, t.filled_cols, t.group_role,
        t.offence_code_col, t.offence_text_col, t.outcome_col, t.nationality_col,
        t.period_col, t.date_col, t.count_col, t.age_col, t.sex_col, t.victim_age_col
    from {{ source('raw', 'rows') }} as r
    inner join new_returns as n on r.return_id = n.return_id
    inner join {{ source('raw', 'tables') }} as t
        on r.return_id = t.return_id and r.table_id = t.table_id
    where r.row_kind = 'data'
),

-- a label written once over the rows it applies to (a merged cell, or left blank on the
-- rows after it): the reader lists such columns in raw.tables.filled_cols, and their blank
-- cells take the last label above in the table's data rows
fills as (
    select
        return_id, table_id, source_row, c,
        last_value(nullif(trim(cells[c]), '') ignore nulls) over (
            partition by return_id, table_id, c order by source_row
            rows between unbounded preceding and current row
        ) as label
    from (
        select return_id, table_id, source_row, cells, unnest(filled_cols) as c
        from data_rows
        where filled_cols is not null
    )
),

fill_maps as (
    select return_id, table_id, source_row, map(list(c), list(label)) as fill
    from fills
    group by all
),

-- a nested pivot (Excel's compact form): a group row's label (an offence) is the outer
-- label of the rows under it (nationalities); raw.tables.group_role says which dimension
group_labels as (
    select r.return_id, r.table_id, r.source_row, trim(r.cells[t.group_col]) as group_label
    from {{ source('raw', 'rows') }} as r
    inner join new_returns as n on r.return_id = n.return_id
    inner join {{ source('raw', 'tables') }} as t
        on r.return_id = t.return_id and r.table_id = t.table_id
    where t.group_role is not null and list_contains(t.group_rows, r.source_row)
),

filled_rows as (
    select
        cast(null as varchar) as group_label,
        d.*
    from data_rows as d
    where d.filled_cols is null and d.group_role is null
    union all by name
    -- only the tables with filled columns or group rows go through the joins: an ASOF
    -- join sorts its whole left side even when the right one is empty (seconds per
    -- million rows), and most rows are in record lists with neither
    select
        g.group_label,
        d.* replace (
            case
                when f.fill is null then d.cells
                else list_transform(d.cells, lambda x, i: case when trim(x) = '' then coalesce(f.fill[i], x) else x end)
            end as cells
        )
    from (select * from data_rows where filled_cols is not null or group_role is not null) as d
    left join fill_maps as f using (return_id, table_id, source_row)
    asof left join group_labels as g
        on d.return_id = g.return_id and d.table_id = g.table_id and d.source_row > g.source_row
),

-- one cell per row, or one per column across for a cross-tab (a single unnest, so the
-- joined rows are neither materialised nor scanned twice)
cells as (
    select
        * exclude (col, val, val2),
        col as source_column_index,
        val as across_value,
        val2 as across_value2,
        across_cols is not null as from_crosstab
    from (
        select
            *,
            unnest(coalesce(across_cols, [count_col])) as col,
            unnest(coalesce(across_values, [cast(null as varchar)])) as val,
            unnest(coalesce(across_values2, [cast(null as varchar)])) as val2
        from filled_rows
    )
),

observations as (
    select
        return_id,
        table_id,
        sheet,
        source_row,
        source_column_index,
        {{ column_letter('source_column_index') }} as source_column,
        shape,
        nullif({{ across_or('offence_code', 'cells[offence_code_col]') }}, '') as offence_code_raw,
        nullif({{ across_or('offence_text', 'cells[offence_text_col]') }}, '') as offence_text_raw,
        offence_code_col is not null or offence_text_col is not null
            or {{ is_across('offence_code') }} or {{ is_across('offence_text') }} as has_offence_column,
        outcome_col is not null or {{ is_across('outcome') }} as has_outcome_column,
        case when outcome_col is not null or {{ is_across('outcome') }}
            then coalesce({{ across_or('outcome', 'cells[outcome_col]') }}, '') end as outcome_raw,
        nationality_col is not null or {{ is_across('nationality') }} as has_nationality_column,
        case
            when {{ is_across('nationality') }} then {{ across_or('nationality', 'null') }}
            -- a person with several nationality columns (a dual national): every one given,
            -- joined as one cell; int_nationality_map's rule for several nationalities applies
            when nationality_cols is not null then array_to_string(
                list_filter(list_transform(nationality_cols, lambda c: trim(coalesce(cells[c], ''))), lambda x: x <> ''), ' / ')
            when nationality_col is not null then coalesce(cells[nationality_col], '')
        end as nationality_raw,
        case
            when {{ is_across('period') }} then {{ across_or('period', 'null') }}
            when period_col is not null then cells[period_col]
            when date_col is not null then cells[date_col]
            else default_period
        end as period_raw,
        case
            when {{ is_across('period') }} then 'column header'
            when period_col is not null then 'period column'
            when date_col is not null then 'date column'
            when default_period is not null then 'title, sheet name, file name or profile'
        end as period_source,
        case when source_column_index is null then '1' else coalesce(cells[source_column_index], '') end as count_raw,
        nullif({{ across_or('age', 'cells[age_col]') }}, '') as offender_age_raw,
        nullif({{ across_or('sex', 'cells[sex_col]') }}, '') as offender_sex_raw,
        nullif({{ across_or('victim_age', 'cells[victim_age_col]') }}, '') as victim_age_raw,
        ingested_at,
        from_crosstab
    from cells
),

-- withheld cells whose bounds the table's own exact totals narrow (raw.tables.pinned_cells)
pinned as (
    select t.return_id, t.table_id, p.source_row, p.source_column_index, p.count_low, p.count_high
    from {{ source('raw', 'tables') }} as t
    inner join new_returns as n on t.return_id = n.return_id,
        unnest(t.pinned_cells) as u(p)
)

select
    o.*,
    pin.count_low as pinned_low,
    pin.count_high as pinned_high
from observations as o
left join pinned as pin
    on o.return_id = pin.return_id and o.table_id = pin.table_id
    and o.source_row = pin.source_row and o.source_column_index = pin.source_column_index
