-- One row per force the national request went to (43 territorial forces and BTP): did it
-- return data, refuse (with the FOI section cited), or send something unusable?
with returns as (
    select * from {{ ref('int_returns') }}
),

per_force_returns as (
    select
        force_slug,
        count(*) filter (where status = 'loaded') as returns_loaded,
        count(*) filter (where status = 'quarantined') as returns_quarantined,
        count(*) filter (where status = 'refused') as refusals,
        string_agg(reason, '; ' order by source_file) filter (where status = 'refused') as refusal_reason,
        string_agg(reason, '; ' order by source_file) filter (where status = 'quarantined') as quarantine_reasons,
        string_agg(source_file, '; ' order by source_file) as source_files,
        string_agg(warnings, '; ' order by source_file) as warnings
    from returns
    group by force_slug
),

per_force_rows as (
    select
        r.force_slug,
        sum(a.row_count) filter (where a.disposition = 'loaded') as rows_loaded,
        sum(a.row_count) filter (where a.disposition = 'filtered') as rows_filtered,
        sum(a.row_count) filter (where a.disposition = 'quarantined') as rows_quarantined
    from {{ ref('int_row_dispositions') }} as a
    inner join returns as r using (return_id)
    group by r.force_slug
),

per_force_data as (
    select
        force_code,
        force_name,
        string_agg(distinct period_label, ', ' order by period_label) as periods_covered,
        string_agg(distinct period_type, ', ' order by period_type) as period_types,
        bool_or(has_nationality_column) as nationality_provided,
        sum(total_low) filter (where in_offence_view)::bigint as community_resolutions_low,
        sum(total_high) filter (where in_offence_view)::bigint as community_resolutions_high,
        {{ weakest_verification('verification') }} as verification
    from {{ ref('int_community_resolution_groups') }}
    group by force_code, force_name
),

-- the force's tables: counted in a mart, or only checking another, and how each was proven
per_force_tables as (
    select
        force_slug,
        count(*) filter (where counted_offence or counted_nationality) as tables_counted,
        count(*) filter (where not (counted_offence or counted_nationality) and conflict is null) as tables_checking,
        count(*) filter (where (counted_offence or counted_nationality) and verification = 'reconciled') as tables_reconciled,
        string_agg(table_name || ': ' || coalesce(set_aside_reason, verification), '; ' order by table_name) as tables
    from {{ ref('int_table_roles') }}
    group by force_slug
)

select
    f.force_code,
    f.force_name,
    f.force_slug,
    case
        when coalesce(pr.returns_loaded, 0) > 0 then 'returned'
        when coalesce(pr.refusals, 0) > 0 then 'refused'
        when coalesce(pr.returns_quarantined, 0) > 0 then 'quarantined'
        else 'no return'
    end as status,
    regexp_extract(pr.refusal_reason, '^(s\.?\s*\d+[A-Za-z0-9()]*)', 1) as foi_section,
    pr.refusal_reason,
    d.periods_covered,
    d.period_types,
    coalesce(d.nationality_provided, false) as nationality_provided,
    coalesce(d.community_resolutions_low, 0) as community_resolutions_low,
    coalesce(d.community_resolutions_high, 0) as community_resolutions_high,
    d.verification,
    coalesce(tb.tables_counted, 0) as tables_counted,
    coalesce(tb.tables_reconciled, 0) as tables_reconciled,
    coalesce(tb.tables_checking, 0) as tables_checking,
    tb.tables,
    coalesce(pr.returns_loaded, 0) as returns_loaded,
    coalesce(pr.returns_quarantined, 0) as returns_quarantined,
    coalesce(rw.rows_loaded, 0)::bigint as rows_loaded,
    coalesce(rw.rows_filtered, 0)::bigint as rows_filtered,
    coalesce(rw.rows_quarantined, 0)::bigint as rows_quarantined,
    pr.quarantine_reasons,
    pr.warnings,
    pr.source_files
from {{ ref('int_forces') }} as f
left join per_force_returns as pr using (force_slug)
left join per_force_rows as rw using (force_slug)
left join per_force_data as d on f.force_code is not distinct from d.force_code and f.force_name = d.force_name
left join per_force_tables as tb on f.force_slug = tb.force_slug
order by f.force_name
