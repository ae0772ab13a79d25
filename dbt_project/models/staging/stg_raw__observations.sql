-- One row per count cell: a record-level row is one observation with count '1'; an
-- aggregate row one observation from its count column; a cross-tab row one observation
-- per column headed by a period or a nationality. Values stay raw text here; intermediate models interpret them.
with data_rows as (
    select
        r.return_id, r.sheet, r.source_row, r.table_id, r.cells,
        t.shape, t.default_period, t.across_role, t.across_cols, t.across_values,
        t.offence_code_col, t.offence_text_col, t.outcome_col, t.nationality_col,
        t.period_col, t.date_col, t.count_col, t.age_col, t.sex_col, t.victim_age_col
    from {{ ref('stg_raw__rows') }} as r
    inner join {{ source('raw', 'tables') }} as t
        on r.return_id = t.return_id and r.table_id = t.table_id
    where r.row_kind = 'data'
),

cells as (
    select *, count_col as source_column_index, cast(null as varchar) as across_value
    from data_rows
    where across_cols is null
    union all
    select * exclude (col, val), col as source_column_index, val as across_value
    from (
        select *, unnest(across_cols) as col, unnest(across_values) as val
        from data_rows
        where across_cols is not null
    )
)

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
    nullif(cells[victim_age_col], '') as victim_age_raw
from cells
