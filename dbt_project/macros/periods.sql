{# A year written with two or four digits ('22', '2022') -> 2022: a two-digit year is
   20yy, as in '2022/23', 'FY22/23' and Excel's 'Apr-22'. #}
{% macro year_of(expr) -%}
    case when length({{ expr }}) = 2 then 2000 + {{ expr }}::int else {{ expr }}::int end
{%- endmacro %}
