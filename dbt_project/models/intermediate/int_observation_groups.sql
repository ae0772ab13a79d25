-- The observations of each current return grouped by everything the normalisation and
-- the marts look at (the table, raw offence, outcome, nationality, count and victim age texts, the
-- period as parsed), with how many cells each group holds. A record-level return
-- of a million rows collapses to a few thousand groups, so the seed joins and the marts
-- (int_observation_summary) work on groups instead of cells. No seed is involved here:
-- incremental per return version (macros/return_versions.sql).
-- period_raw is kept only where the period was not understood (unmapped_values lists it).
{{ config(
    materialized='incremental',
    incremental_strategy='append',
    on_schema_change='fail',
    pre_hook="{{ delete_stale_return_versions() }}"
) }}

with new_returns as (
    {{ new_return_versions() }}
)

select
    o.return_id,
    o.table_id,
    o.ingested_at,
    o.has_offence_column,
    o.offence_code_raw,
    o.offence_text_raw,
    o.has_outcome_column,
    o.outcome_raw,
    o.has_nationality_column,
    o.nationality_raw,
    coalesce(p.period_type, 'not given') as period_type,
    p.financial_year,
    p.period_label,
    case when p.period_type is null or p.period_type = 'unrecognised' then o.period_raw end as period_raw,
    o.victim_age_raw,
    o.count_raw,
    o.pinned_low,
    o.pinned_high,
    count(*) as observations,
    min(o.sheet) as first_sheet,
    min(o.source_row) as first_source_row
from {{ ref('stg_raw__observations') }} as o
inner join new_returns as n on o.return_id = n.return_id and o.ingested_at is not distinct from n.ingested_at
left join {{ ref('int_period_map') }} as p on o.period_raw = p.period_raw
group by all
