{# 1-based column index -> spreadsheet letter (1 -> A, 27 -> AA), as a person finds the cell. #}
{% macro column_letter(idx) -%}
    case
        when {{ idx }} is null then null
        when {{ idx }} <= 26 then chr(64 + {{ idx }})
        else chr(64 + ({{ idx }} - 1) // 26) || chr(65 + ({{ idx }} - 1) % 26)
    end
{%- endmacro %}
