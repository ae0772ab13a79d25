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

{# An offence description without the Act and section written before or after it:
   'Sexual Offences Act 2003 s.3 - Sexual assault on a female' and
   'Sexual assault on a female (Sexual Offences Act 2003 s.3)' -> 'Sexual assault on a female'. #}
{% macro strip_act_and_section(expr) -%}
    regexp_replace(
        regexp_replace({{ expr }}, '^.*\bact\s+\d{4}\b[^-–:]*[-–:]\s*', '', 'i'),
        '\s*[(\[][^)\]]*\bact\s+\d{4}\b[^)\]]*[)\]]\s*$', '', 'i')
{%- endmacro %}
