{# A written offence code in the form the code aliases seed uses: trimmed, upper case;
   a bare 5-digit number in a plausible date range is an Excel date serial that was a
   'day/month' code (43986 -> 4/6). #}
{% macro offence_code_form(expr) -%}
    case
        when regexp_full_match(trim({{ expr }}), '\d{5}') and trim({{ expr }})::int between 20000 and 80000
            then strftime(date '1899-12-30' + trim({{ expr }})::int, '%-d/%-m')
        else upper(trim({{ expr }}))
    end
{%- endmacro %}
