{{ config(meta={"dagster": {"ref": {"name": "headline_figures"}}}) }}
-- The headline total is the offence mart summed: no observation is lost between them.
select h.value_low, h.value_high, o.low, o.high
from {{ ref('headline_figures') }} h
cross join (select sum(count_low) as low, sum(count_high) as high from {{ ref('community_resolutions_by_offence') }}) o
where h.figure_id = 'total' and (h.value_low <> o.low or h.value_high <> o.high)
