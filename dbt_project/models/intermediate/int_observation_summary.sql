-- int_observations applied to groups of cells (int_observation_groups) instead of cells:
-- the same maps, views and disposition rules (macros/dispositions.sql), with per group the
-- number of cells (observations), the summed bounds (total_low, total_high) and the first
-- sheet and row. Rebuilt on every run (the seeds decide the mapping); small, so the marts
-- read it instead of ten million cells. tests/dbt checks it against int_observations.
with obs as (
    select * from {{ ref('int_observation_groups') }}
),

returns as (
    select * from {{ ref('int_returns') }}
)

{%- set counted = "coalesce(tr.counted_offence or tr.counted_nationality, false)" %}
select
    o.return_id,
    o.table_id,
    r.force_code,
    r.force_name,
    r.force_slug,
    r.source_file,
    coalesce(tr.counted_offence, false) as in_offence_view,
    coalesce(tr.counted_nationality, false) as in_nationality_view,
    coalesce(tr.verification, 'unverified') as verification,

    o.period_raw,
    o.period_type,
    o.financial_year,
    o.period_label,

    o.has_offence_column,
    o.offence_code_raw,
    o.offence_text_raw,
    om.ho_offence_code,
    om.ho_offence_name,
    om.offence_group,
    om.offence_subgroup,

    o.outcome_raw,
    {{ effective_outcome_type('o.has_outcome_column', 'oc.outcome_type') }} as outcome_type,
    case when o.has_outcome_column then oc.outcome_subtype end as outcome_subtype,

    o.has_nationality_column,
    o.nationality_raw,
    nm.iso3 as nationality_iso3,
    nm.country_name as nationality_name,
    case when o.has_nationality_column then nm.category else 'unknown' end as nationality_category,
    case when o.has_nationality_column then nm.nationality_rule else 'not provided by the force' end as nationality_rule,

    am.victim_age_low,
    am.victim_age_high,

    case when o.pinned_low is not null then 'narrowed by the return''s totals: ' || cm.count_rule else cm.count_rule end as count_rule,
    coalesce(o.pinned_low, cm.count_low) as count_low,
    coalesce(o.pinned_high, cm.count_high) as count_high,
    {{ observation_disposition('r.status', 'cm.count_rule', 'o.has_outcome_column', 'oc.outcome_type', counted) }} as disposition,

    o.observations,
    coalesce(o.pinned_low, cm.count_low) * o.observations as total_low,
    coalesce(o.pinned_high, cm.count_high) * o.observations as total_high,
    o.first_sheet,
    o.first_source_row
from obs as o
inner join returns as r using (return_id)
left join {{ ref('int_table_roles') }} as tr on o.return_id = tr.return_id and o.table_id = tr.table_id
left join {{ ref('int_offence_map') }} as om
    on o.offence_code_raw is not distinct from om.offence_code_raw
    and o.offence_text_raw is not distinct from om.offence_text_raw
left join {{ ref('int_outcome_map') }} as oc on o.outcome_raw = oc.outcome_raw
left join {{ ref('int_nationality_map') }} as nm on o.nationality_raw = nm.nationality_raw
left join {{ ref('int_count_map') }} as cm on o.count_raw = cm.count_raw
left join {{ ref('int_victim_age_map') }} as am on o.victim_age_raw is not distinct from am.victim_age_raw
