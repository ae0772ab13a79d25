{{ config(meta={"dagster": {"ref": {"name": "community_resolutions_by_offence"}}}) }}
-- Every mart total equals the conformed observations it is built from: per force, the
-- offence mart and force_coverage carry the bounds of the offence view, the nationality
-- mart those of the nationality view.
with conformed as (
    select force_name, sum(count_low) filter (where in_offence_view) as low, sum(count_high) filter (where in_offence_view) as high,
           sum(count_low) filter (where in_nationality_view) as nat_low, sum(count_high) filter (where in_nationality_view) as nat_high
    from {{ ref('int_community_resolutions') }} group by 1
),
by_offence as (
    select force_name, sum(count_low) as low, sum(count_high) as high
    from {{ ref('community_resolutions_by_offence') }} group by 1
),
by_nationality as (
    select force_name, sum(count_low) as low, sum(count_high) as high
    from {{ ref('community_resolutions_by_nationality') }} group by 1
),
coverage as (
    select force_name, community_resolutions_low as low, community_resolutions_high as high
    from {{ ref('force_coverage') }} where status = 'returned'
)
select c.force_name, c.low, c.high, o.low as offence_low, n.low as nationality_low, f.low as coverage_low
from conformed c
full join by_offence o using (force_name)
full join by_nationality n using (force_name)
full join coverage f using (force_name)
where c.low is distinct from o.low or c.high is distinct from o.high
   or c.nat_low is distinct from n.low or c.nat_high is distinct from n.high
   or c.low is distinct from f.low or c.high is distinct from f.high
