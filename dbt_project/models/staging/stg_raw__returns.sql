-- Current version of each landing file (a corrected file supersedes the one before it).
select
    return_id,
    force_slug,
    source_file,
    file_name,
    sha256,
    size_bytes,
    file_format,
    encoding,
    status as read_status,
    reason as read_reason,
    n_tables,
    rows_read,
    warnings,
    supersedes,
    ingested_at
from {{ source('raw', 'returns') }}
where is_current
