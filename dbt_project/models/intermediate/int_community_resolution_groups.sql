-- int_community_resolutions over groups of cells (int_observation_summary): outcome 8
-- only, offence group 'Unmapped offence' or 'Not given' where there is none. The marts
-- sum total_low / total_high and observations from here.
select
    * exclude (offence_group),
    coalesce(offence_group, case when has_offence_column then 'Unmapped offence' else 'Not given' end) as offence_group
from {{ ref('int_observation_summary') }}
where disposition = 'loaded'
