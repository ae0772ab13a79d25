-- Values the normalisation could not map, per return: they are counted here, never
-- dropped. Offences stay in the marts as 'Unmapped offence'; nationalities as 'unknown'.
with obs as (
    select * from {{ ref('int_observations') }} where disposition in ('loaded', 'filtered')
)

select return_id, source_file, 'offence' as field, coalesce(offence_code_raw || ' | ', '') || coalesce(offence_text_raw, '') as raw_value,
       count(*)::bigint as observations, sum(count_low)::bigint as count_low, sum(count_high)::bigint as count_high,
       min(sheet) as first_sheet, min(source_row) as first_source_row
from obs where ho_offence_code is null and has_offence_column group by all
union all
select return_id, source_file, 'nationality', nationality_raw,
       count(*), sum(count_low), sum(count_high), min(sheet), min(source_row)
from obs where nationality_rule = 'unmapped' group by all
union all
select return_id, source_file, 'period', coalesce(period_raw, '(none)'),
       count(*), sum(count_low), sum(count_high), min(sheet), min(source_row)
from obs where period_type in ('unrecognised', 'not given') group by all
union all
select return_id, source_file, 'outcome', outcome_raw,
       count(*), sum(count_low), sum(count_high), min(sheet), min(source_row)
from {{ ref('int_observations') }} where outcome_type is null group by all
order by source_file, field, raw_value
