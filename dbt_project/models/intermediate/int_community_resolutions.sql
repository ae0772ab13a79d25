-- The conformed observation (DESIGN.md): one count reported by one force for one
-- combination of attributes, outcome 8 only, with bounds and provenance to the cell.
-- A view: the marts read the same rows grouped (int_community_resolution_groups).
{{ config(materialized='view') }}

select
    force_code,
    force_name,
    period_type,
    period_start,
    period_end,
    financial_year,
    period_label,
    offence_text_raw,
    offence_code_raw,
    ho_offence_code,
    ho_offence_name,
    coalesce(offence_group, case when has_offence_column then 'Unmapped offence' else 'Not given' end) as offence_group,
    offence_subgroup,
    outcome_type,
    outcome_subtype,
    nationality_raw,
    nationality_iso3,
    nationality_name,
    nationality_category,
    nationality_rule,
    has_nationality_column,
    offender_age_band,
    offender_sex,
    victim_age_band,
    victim_age_low,
    victim_age_high,
    in_offence_view,
    in_nationality_view,
    has_offence_column,
    count_low,
    count_high,
    count_raw,
    count_rule,
    return_id,
    source_file,
    sha256,
    sheet,
    source_row,
    source_column
from {{ ref('int_observations') }}
where disposition = 'loaded'
