{# A cross-tab's columns across stand for a dimension (periods, nationalities, offences,
   outcomes, ...; a two-row header gives each column two: across_role and across_role2).
   across_or(role, cell): the dimension's value for an observation: its column's heading
   across, else the cell of the dimension's own column. Used by stg_raw__observations. #}
{% macro across_or(role, cell) -%}
    case when across_role = '{{ role }}' then across_value when across_role2 = '{{ role }}' then across_value2 else {{ cell }} end
{%- endmacro %}

{% macro is_across(role) -%}
    (coalesce(across_role = '{{ role }}', false) or coalesce(across_role2 = '{{ role }}', false))
{%- endmacro %}
