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
    sum(total_low)::bigint as count_low,
    sum(total_high)::bigint as count_high,
    coalesce(sum(observations) filter (where count_low <> count_high), 0)::bigint as suppressed_cells,
    sum(observations)::bigint as observations,
    {{ weakest_verification('verification') }} as verification
from {{ ref('int_community_resolution_groups') }}
where in_offence_view
group by all
order by force_name, period_label, offence_group, ho_offence_code
