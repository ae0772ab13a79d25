-- Every distinct victim age text -> [low, high] in years (macros/ages.sql); a row with no
-- victim age (null) maps to an unknown age. Evaluated once per distinct text.
with distinct_values as (
    select distinct victim_age_raw from {{ ref('int_observation_groups') }}
)

select
    victim_age_raw,
    {{ age_low('victim_age_raw') }} as victim_age_low,
    {{ age_high('victim_age_raw') }} as victim_age_high
from distinct_values
