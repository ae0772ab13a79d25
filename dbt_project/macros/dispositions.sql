{# What happens to one observation (int_observations), shared by the per-cell view and the
   grouped tables the marts read, so both apply the same rules:
     loaded       a community resolution count that reaches the marts
     filtered     another outcome type (not a community resolution)
     quarantined  a count that cannot be read, an outcome that cannot be recognised, or a
                  return whose force is unknown
   `outcome_type` is the mapped type (int_outcome_map), null when not recognised. #}
{% macro effective_outcome_type(has_outcome_column, outcome_type) -%}
    case when {{ has_outcome_column }} then {{ outcome_type }} else '8' end
{%- endmacro %}

{# `counted`: the observation's table is counted in some mart (int_table_roles); a table
   that only checks another (a summary sheet, a second view of the population) is not. #}
{% macro observation_disposition(return_status, count_rule, has_outcome_column, outcome_type, counted) -%}
    case
        when {{ return_status }} <> 'loaded' then 'quarantined'
        when {{ count_rule }} = 'unreadable' then 'quarantined'
        when {{ has_outcome_column }} and {{ outcome_type }} is null then 'quarantined'
        when not {{ counted }} then 'filtered'
        when ({{ effective_outcome_type(has_outcome_column, outcome_type) }}) <> '8' then 'filtered'
        else 'loaded'
    end
{%- endmacro %}

{% macro unreadable_count_reason(count_raw, source_column) -%}
    'unreadable count ''' || {{ count_raw }} || ''' in column ' || coalesce({{ source_column }}, '?') || ': expected a whole number, a dash, or a suppression mark such as <5 or *'
{%- endmacro %}

{% macro unrecognised_outcome_reason(outcome_raw) -%}
    'unrecognised outcome ''' || {{ outcome_raw }} || ''': expected a Home Office outcome type such as ''8: Community resolution'''
{%- endmacro %}

{% macro filtered_outcome_reason(outcome_type) -%}
    'outcome ' || {{ outcome_type }} || ' is not a community resolution'
{%- endmacro %}

{% macro observation_disposition_reason(return_status, return_reason, count_rule, count_raw, source_column, has_outcome_column, outcome_raw, outcome_type, counted, set_aside_reason) -%}
    case
        when {{ return_status }} <> 'loaded' then {{ return_reason }}
        when {{ count_rule }} = 'unreadable' then {{ unreadable_count_reason(count_raw, source_column) }}
        when {{ has_outcome_column }} and {{ outcome_type }} is null then {{ unrecognised_outcome_reason(outcome_raw) }}
        when not {{ counted }} then {{ set_aside_reason }}
        when ({{ effective_outcome_type(has_outcome_column, outcome_type) }}) <> '8' then {{ filtered_outcome_reason(outcome_type) }}
    end
{%- endmacro %}
