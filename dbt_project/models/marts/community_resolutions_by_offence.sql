-- Community resolutions by force, period and Home Office offence class. A bound is a
-- sum of bounds: count_low counts every withheld cell at its minimum, count_high at its
-- maximum. Built from each force's offence view (int_observations).
select
    force_code,
    force_name,
    financial_year,
    period_type,
    period_label,
    offence_group,
    offence_subgroup,
    ho_offence_code,
    ho_offence_name,
    sum(count_low)::bigint as count_low,
    sum(count_high)::bigint as count_high,
    count(*) filter (where count_low <> count_high)::bigint as suppressed_cells,
    count(*)::bigint as observations
from {{ ref('int_community_resolutions') }}
where in_offence_view
group by all
order by force_name, period_label, offence_group, ho_offence_code
