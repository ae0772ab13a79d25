{#
  Incremental models keyed on the return version. A stored return is immutable for a given
  (return_id, raw.returns.ingested_at): a re-parse under the same return_id (new parser
  version) deletes its raw rows and inserts them again with a new ingested_at. So a model
  built per return keeps the rows of the current return versions, and each run
    1. deletes the rows of every version that is no longer current (re-parsed, superseded
       by a corrected file, retired because its file was removed): pre_hook
       delete_stale_return_versions();
    2. appends the rows of current versions it does not hold: the model selects from
       new_return_versions() only.
  Only seed-independent work may be done this way (parsing, grouping raw texts, period
  texts, count readability): the seed joins stay in tables rebuilt on every run, so a seed
  edit reaches the marts without a full refresh. A change to the SQL of the incremental
  models themselves (or to what they use: int_period_map, the count_rule macro) is not
  seen by stored returns: run `dbt build --full-refresh` once after deploying it (a change
  of columns makes the incremental run fail, on_schema_change='fail').
#}
{% macro delete_stale_return_versions() -%}
    {%- if is_incremental() -%}
        delete from {{ this }} as t
        where not exists (
            select 1
            from {{ source('raw', 'returns') }} as r
            where r.is_current and r.return_id = t.return_id and r.ingested_at is not distinct from t.ingested_at
        )
    {%- else -%}
        select 1
    {%- endif -%}
{%- endmacro %}

{# The current return versions this incremental model does not hold yet (all of them on a
   first or full-refresh build). #}
{% macro new_return_versions() -%}
    select return_id, ingested_at
    from {{ ref('stg_raw__returns') }}
    {% if is_incremental() -%}
    where return_id not in (select distinct return_id from {{ this }})
    {%- endif %}
{%- endmacro %}
