-- Each current return with its force and final status. A return in a folder that names
-- no known force is quarantined here (the read itself may have worked), and so is a
-- return whose figures disagree with another table of the same population
-- (int_table_roles: both numbers are in the reason), and so is a return a per-return check
-- failed on in this build (raw.check_quarantine: the check and what failed are in the reason).
with forces as (
    select * from {{ ref('int_forces') }}
),

conflicts as (
    select return_id, string_agg(distinct conflict, '; ') as conflict
    from {{ ref('int_table_roles') }}
    where conflict is not null
    group by return_id
),

-- written by the dbt step when a per-return dbt test or expectation fails (orchestration/quarantine.py);
-- created by the on-run-start hook. Not a dbt source: a source is a Dagster asset, and one the
-- pipeline never materializes would count as missing and stop eager automation of every model.
check_failures as (
    select return_id, string_agg(distinct check_name || ': ' || detail, '; ' order by check_name || ': ' || detail) as failure
    from raw.check_quarantine
    group by return_id
)

select
    r.return_id,
    r.force_slug,
    f.force_code,
    f.force_name,
    r.source_file,
    r.file_name,
    r.sha256,
    r.file_format,
    r.encoding,
    r.rows_read,
    r.n_tables,
    r.warnings,
    r.ingested_at,
    case
        when r.read_status = 'loaded' and (f.force_slug is null or c.conflict is not null or q.failure is not null) then 'quarantined'
        else r.read_status
    end as status,
    case
        when r.read_status = 'loaded' and f.force_slug is null
            then r.source_file || ': folder ''' || r.force_slug || ''' is not a known force: expected a police.uk slug such as ''durham'' or ''btp'''
        when r.read_status = 'loaded' and c.conflict is not null then r.source_file || ': ' || c.conflict
        when r.read_status = 'loaded' and q.failure is not null then r.source_file || ': failed the check ' || q.failure
        else r.read_reason
    end as reason
from {{ ref('stg_raw__returns') }} as r
left join forces as f on r.force_slug = f.force_slug
left join conflicts as c on r.return_id = c.return_id
left join check_failures as q on r.return_id = q.return_id
