{# A cross-tab's columns across stand for a dimension (periods, nationalities, offences,
   outcomes, ...; a two-row header gives each column two: across_role and across_role2).
   A nested pivot's group rows give the rows under them one more (group_role, group_label).
   across_or(role, cell): the dimension's value for an observation: its column's heading
   across, or its group row's label, else the cell of the dimension's own column. Used by
   stg_raw__observations. #}
{% macro across_or(role, cell) -%}
    case
        when across_role = '{{ role }}' then across_value
        when across_role2 = '{{ role }}' then across_value2
        when group_role = '{{ role }}' then group_label
        else {{ cell }}
    end
{%- endmacro %}

{% macro is_across(role) -%}
    (coalesce(across_role = '{{ role }}', false) or coalesce(across_role2 = '{{ role }}', false)
     or coalesce(group_role = '{{ role }}', false))
{%- endmacro %}
