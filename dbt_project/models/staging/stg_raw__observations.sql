-- One row per count cell: a record-level row is one observation with count '1'; an
-- aggregate row one observation from its count column; a cross-tab row one observation
-- per column headed by a period or a nationality. Values stay raw text here; intermediate
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
        t.offence_code_col, t.offence_text_col, t.outcome_col, t.nationality_col,
        t.period_col, t.date_col, t.count_col, t.age_col, t.sex_col, t.victim_age_col
    from {{ source('raw', 'rows') }} as r
    inner join new_returns as n on r.return_id = n.return_id
    inner join {{ source('raw', 'tables') }} as t
        on r.return_id = t.return_id and r.table_id = t.table_id
    where r.row_kind = 'data'
),

-- one cell per row, or one per column across for a cross-tab (a single unnest, so the
-- joined rows are neither materialised nor scanned twice)
cells as (
    select
        * exclude (col, val),
        col as source_column_index,
        val as across_value,
        across_cols is not null as from_crosstab
    from (
        select
            *,
            unnest(coalesce(across_cols, [count_col])) as col,
            unnest(coalesce(across_values, [cast(null as varchar)])) as val
        from data_rows
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
        nullif(cells[offence_code_col], '') as offence_code_raw,
        nullif(cells[offence_text_col], '') as offence_text_raw,
        offence_code_col is not null or offence_text_col is not null as has_offence_column,
        outcome_col is not null as has_outcome_column,
        case when outcome_col is not null then coalesce(cells[outcome_col], '') end as outcome_raw,
        nationality_col is not null or coalesce(across_role = 'nationality', false) as has_nationality_column,
        case
            when across_role = 'nationality' then across_value
            when nationality_col is not null then coalesce(cells[nationality_col], '')
        end as nationality_raw,
        case
            when across_role = 'period' then across_value
            when period_col is not null then cells[period_col]
            when date_col is not null then cells[date_col]
            else default_period
        end as period_raw,
        case
            when across_role = 'period' then 'column header'
            when period_col is not null then 'period column'
            when date_col is not null then 'date column'
            when default_period is not null then 'title, sheet name or profile'
        end as period_source,
        case when source_column_index is null then '1' else coalesce(cells[source_column_index], '') end as count_raw,
        nullif(cells[age_col], '') as offender_age_raw,
        nullif(cells[sex_col], '') as offender_sex_raw,
        nullif(cells[victim_age_col], '') as victim_age_raw,
        ingested_at,
        from_crosstab
    from cells
)

select * from observations
