-- Every raw row of the current returns with its kind; the basis of row accounting.
select
    r.return_id,
    r.sheet,
    r.source_row,
    r.table_id,
    r.row_kind,
    r.cells
from {{ source('raw', 'rows') }} as r
inner join {{ ref('stg_raw__returns') }} as ret using (return_id)
