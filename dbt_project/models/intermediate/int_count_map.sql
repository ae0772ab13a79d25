-- Every distinct count text -> rule and bounds (macros/counts.sql): '1,234' exact,
-- '<5' 1..4, '*' withheld 1..4, '#N/A' unreadable. Evaluated once per distinct text.
with distinct_values as (
    select distinct count_raw from {{ ref('int_observation_groups') }}
)

select
    count_raw,
    {{ count_rule('count_raw') }} as count_rule,
    {{ count_low('count_raw') }} as count_low,
    {{ count_high('count_raw') }} as count_high
from distinct_values
