-- Values the normalisation could not map, per return: they are counted here, never
-- dropped. Offences stay in the marts as 'Unmapped offence' (an offence given only as an
-- ONS group is mapped: it has a group, no class); nationalities as category 'unmapped'.
-- Read from int_observation_summary: int_observations grouped, with cells per group.
with obs as (
    select * from {{ ref('int_observation_summary') }} where disposition in ('loaded', 'filtered')
)

select return_id, source_file, 'offence' as field, coalesce(offence_code_raw || ' | ', '') || coalesce(offence_text_raw, '') as raw_value,
       sum(observations)::bigint as observations, sum(total_low)::bigint as count_low, sum(total_high)::bigint as count_high,
       min(first_sheet) as first_sheet, min(first_source_row) as first_source_row
from obs where offence_group is null and has_offence_column group by all
union all
select return_id, source_file, 'nationality', nationality_raw,
       sum(observations)::bigint, sum(total_low), sum(total_high), min(first_sheet), min(first_source_row)
from obs where nationality_rule = 'unmapped' group by all
union all
select return_id, source_file, 'period', coalesce(period_raw, '(none)'),
       sum(observations)::bigint, sum(total_low), sum(total_high), min(first_sheet), min(first_source_row)
from obs where period_type in ('unrecognised', 'not given') group by all
union all
select return_id, source_file, 'outcome', outcome_raw,
       sum(observations)::bigint, sum(total_low), sum(total_high), min(first_sheet), min(first_source_row)
from {{ ref('int_observation_summary') }} where outcome_type is null group by all
order by source_file, field, raw_value
