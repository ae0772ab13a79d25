{{ config(meta={"dagster": {"ref": {"name": "stg_raw__tables"}}}) }}
-- The reader proves each table against the return's own totals before it is stored, and
-- records the sum it proved (raw.tables data_low / data_high: every count cell of the
-- table, every outcome, withheld cells as narrowed by the totals). dbt reads the same
-- cells again from raw.rows: its sum per table must be that sum, or the figures published
-- are not the figures proven. A row names the table and both sums.
-- Per return (orchestration/quarantine.py): a return failing it is quarantined alone and the
-- others are published, so it reads int_returns and tests only returns still loaded.
{{ config(meta={"quarantine": "per_return"}) }}
with read_by_dbt as (
    select
        o.return_id,
        o.table_id,
        sum(coalesce(o.pinned_low, cm.count_low, 0) * o.observations) as low,
        sum(coalesce(o.pinned_high, cm.count_high, 0) * o.observations) as high
    from {{ ref('int_observation_groups') }} as o
    left join {{ ref('int_count_map') }} as cm on o.count_raw = cm.count_raw
    group by all
)

select t.return_id, t.table_id, t.sheet, t.data_low, t.data_high, coalesce(d.low, 0) as dbt_low, coalesce(d.high, 0) as dbt_high
from {{ ref('stg_raw__tables') }} as t
left join read_by_dbt as d on t.return_id = d.return_id and t.table_id = d.table_id
inner join {{ ref('int_returns') }} as r on t.return_id = r.return_id
where r.status = 'loaded'
  and t.data_low is not null
  and (coalesce(d.low, 0) <> t.data_low or coalesce(d.high, 0) <> t.data_high)
