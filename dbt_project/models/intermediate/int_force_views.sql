-- Per force: does any of its tables give offences, nationalities? A force that gives
-- offences and nationalities as separate tables (or files) of the same population must
-- not be added up twice: its offence view is its tables with an offence column (all its
-- tables if none has one); its nationality view likewise (int_observations).
select
    r.force_slug,
    bool_or(o.has_offence_column) as any_offence_table,
    bool_or(o.has_nationality_column) as any_nationality_table
from {{ ref('int_observation_groups') }} as o
inner join {{ ref('int_returns') }} as r using (return_id)
group by r.force_slug
