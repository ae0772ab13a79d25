-- The tables the reader found in the current returns, with how it read and proved them.
select
    t.return_id,
    t.table_id,
    t.sheet,
    t.label,
    t.header_row,
    t.header_rows,
    t.last_row,
    t.shape,
    t.headers,
    t.title,
    t.column_notes,
    coalesce(t.counted, true) as reader_counted,
    t.subject,
    coalesce(t.verification, 'unverified') as reader_verification,
    t.checks as reader_checks,
    t.data_low,
    t.data_high
from {{ source('raw', 'tables') }} as t
inner join {{ ref('stg_raw__returns') }} as r using (return_id)
