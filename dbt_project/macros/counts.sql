{#
  How a count cell becomes bounds [count_low, count_high]:
    1234, 1,234, 12.0          exact
    blank, -, en/em dash, nil  exact 0 (statistical convention: a dash or empty cell is nil)
    <5, < 10                   1 .. n-1 (a withheld small count is never 0)
    1-4, 1 to 4                the range as written
    *, **, [c], c, ~, s40, redacted, suppressed, withheld
                               1 .. 4: forces withhold counts below 5 unless they say otherwise
  Anything else (#N/A, NULL, [x], text) is unreadable: the observation is quarantined.
#}
{% macro count_clean(expr) -%}
    lower(trim(replace(replace(coalesce({{ expr }}, ''), ',', ''), chr(160), '')))
{%- endmacro %}

{% macro count_rule(expr) -%}
    case
        when regexp_full_match({{ count_clean(expr) }}, '\d+(\.0+)?') then 'exact'
        when regexp_full_match({{ count_clean(expr) }}, '|-|–|—|nil') then 'nil'
        when regexp_full_match({{ count_clean(expr) }}, '<\s*\d+') then 'below_threshold'
        when regexp_full_match({{ count_clean(expr) }}, '\d+\s*(-|–|to)\s*\d+') then 'range'
        when regexp_full_match({{ count_clean(expr) }}, '\*+|\[c\]|c|~|s\.?\s*40(\(2\))?|redacted|suppressed|withheld') then 'withheld'
        else 'unreadable'
    end
{%- endmacro %}

{% macro count_low(expr) -%}
    case {{ count_rule(expr) }}
        when 'exact' then cast(cast({{ count_clean(expr) }} as double) as bigint)
        when 'nil' then 0
        when 'below_threshold' then 1
        when 'range' then cast(regexp_extract({{ count_clean(expr) }}, '^(\d+)', 1) as bigint)
        when 'withheld' then 1
    end
{%- endmacro %}

{% macro count_high(expr) -%}
    case {{ count_rule(expr) }}
        when 'exact' then cast(cast({{ count_clean(expr) }} as double) as bigint)
        when 'nil' then 0
        when 'below_threshold' then cast(regexp_extract({{ count_clean(expr) }}, '(\d+)', 1) as bigint) - 1
        when 'range' then cast(regexp_extract({{ count_clean(expr) }}, '(\d+)$', 1) as bigint)
        when 'withheld' then 4
    end
{%- endmacro %}

{# Bounds as a person reads them: '1,234' when exact, '12-18' when a range. #}
{% macro bounds_text(low, high) -%}
    case when {{ low }} = {{ high }} then format('{:,}', {{ low }}) else format('{:,}', {{ low }}) || '-' || format('{:,}', {{ high }}) end
{%- endmacro %}
