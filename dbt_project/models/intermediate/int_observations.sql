-- Every observation of every current return, interpreted, with what happens to it.
-- Views: tables of one force that count the same population (offences and nationalities
-- as separate tables or files, a summary beside the records) must not be added up twice:
-- int_table_roles says which table each mart counts. Offence marts and figures read the
-- offence view, nationality ones the nationality view.
-- Disposition (macros/dispositions.sql):
--   loaded      a community resolution count that reaches the marts
--   filtered    another outcome type (not a community resolution), or a table that only
--               checks another
--   quarantined a count that cannot be read, an outcome that cannot be recognised,
--               or a return whose force is unknown
-- A view over the parsed cells (stg_raw__observations, a table) and the small maps: one
-- row per cell with provenance, for analysts and checks. The marts read the same rules
-- applied to groups of cells (int_observation_summary), which costs far less at scale.
{{ config(materialized='view') }}

with obs as (
    select * from {{ ref('stg_raw__observations') }}
),

returns as (
    select * from {{ ref('int_returns') }}
)

{%- set counted = "coalesce(tr.counted_offence or tr.counted_nationality, false)" %}
select
    o.return_id,
    r.force_code,
    r.force_name,
    r.force_slug,
    r.source_file,
    r.sha256,
    o.sheet,
    o.source_row,
    o.source_column,
    o.table_id,
    o.shape,
    coalesce(tr.counted_offence, false) as in_offence_view,
    coalesce(tr.counted_nationality, false) as in_nationality_view,
    coalesce(tr.verification, 'unverified') as verification,

    o.period_raw,
    o.period_source,
    coalesce(p.period_type, 'not given') as period_type,
    p.period_start,
    p.period_end,
    p.financial_year,
    p.period_label,

    o.has_offence_column,
    o.offence_code_raw,
    o.offence_text_raw,
    om.ho_offence_code,
    om.ho_offence_name,
    om.offence_group,
    om.offence_subgroup,
    om.offence_rule,

    o.outcome_raw,
    {{ effective_outcome_type('o.has_outcome_column', 'oc.outcome_type') }} as outcome_type,
    case when o.has_outcome_column then oc.outcome_subtype end as outcome_subtype,
    case when o.has_outcome_column then 'outcome column' else 'implied: the return answers for community resolutions only' end as outcome_rule,

    o.has_nationality_column,
    o.nationality_raw,
    nm.iso3 as nationality_iso3,
    nm.country_name as nationality_name,
    case when o.has_nationality_column then nm.category else 'unknown' end as nationality_category,
    case when o.has_nationality_column then nm.nationality_rule else 'not provided by the force' end as nationality_rule,

    o.offender_age_raw as offender_age_band,
    o.offender_sex_raw as offender_sex,
    o.victim_age_raw as victim_age_band,
    am.victim_age_low,
    am.victim_age_high,

    o.count_raw,
    case when o.pinned_low is not null then 'narrowed by the return''s totals: ' || cm.count_rule else cm.count_rule end as count_rule,
    coalesce(o.pinned_low, cm.count_low) as count_low,
    coalesce(o.pinned_high, cm.count_high) as count_high,

    {{ observation_disposition('r.status', 'cm.count_rule', 'o.has_outcome_column', 'oc.outcome_type', counted) }} as disposition,
    {{ observation_disposition_reason('r.status', 'r.reason', 'cm.count_rule', 'o.count_raw', 'o.source_column',
                                      'o.has_outcome_column', 'o.outcome_raw', 'oc.outcome_type', counted, 'tr.set_aside_reason') }} as disposition_reason
from obs as o
inner join returns as r using (return_id)
left join {{ ref('int_table_roles') }} as tr on o.return_id = tr.return_id and o.table_id = tr.table_id
left join {{ ref('int_period_map') }} as p on o.period_raw = p.period_raw
left join {{ ref('int_offence_map') }} as om
    on o.offence_code_raw is not distinct from om.offence_code_raw
    and o.offence_text_raw is not distinct from om.offence_text_raw
left join {{ ref('int_outcome_map') }} as oc on o.outcome_raw = oc.outcome_raw
left join {{ ref('int_nationality_map') }} as nm on o.nationality_raw = nm.nationality_raw
left join {{ ref('int_count_map') }} as cm on o.count_raw = cm.count_raw
left join {{ ref('int_victim_age_map') }} as am on o.victim_age_raw is not distinct from am.victim_age_raw
