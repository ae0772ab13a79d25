-- Community resolutions by force, period, offender nationality and ONS offence group.
-- Forces that did not provide nationality appear with category 'unknown' and
-- nationality_rule 'not provided by the force', so totals still add up. Built from each
-- force's nationality view; offence_group is 'Not given' for a table without offences.
select
    force_code,
    force_name,
    financial_year,
    period_type,
    period_label,
    nationality_iso3,
    nationality_name,
    nationality_category,
    offence_group,
    sum(total_low)::bigint as count_low,
    sum(total_high)::bigint as count_high,
    coalesce(sum(observations) filter (where count_low <> count_high), 0)::bigint as suppressed_cells,
    sum(observations)::bigint as observations,
    {{ weakest_verification('verification') }} as verification
from {{ ref('int_community_resolution_groups') }}
where in_nationality_view
group by all
order by force_name, period_label, nationality_category, nationality_name, offence_group
