{# raw.check_quarantine: returns a per-return check failed on, written by the pipeline's dbt
   step (orchestration/quarantine.py) and read by int_returns, which quarantines them with
   the check in the reason. Created by the on-run-start hook (dbt_project.yml) so that every
   dbt invocation, inside Dagster or not, finds it; the dbt step empties it before each build. #}
{% macro create_check_quarantine() %}
    create schema if not exists raw;
    create table if not exists raw.check_quarantine (
        return_id varchar not null,
        check_name varchar not null,
        detail varchar not null,
        quarantined_at timestamp not null
    )
{% endmacro %}
