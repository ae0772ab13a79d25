{# An age or age band as written -> [low, high] in years: '14' -> 14..14, '13-15' and
   '13 to 15' -> 13..15, 'Under 13' -> 0..12, '18+' and '18 and over' -> 18..120;
   anything else (blank, 'Not known') -> null, an unknown age. #}
{% macro age_clean(expr) -%}
    lower(trim(coalesce({{ expr }}, '')))
{%- endmacro %}

{% macro age_low(expr) -%}
    case
        when regexp_full_match({{ age_clean(expr) }}, '\d{1,3}') then {{ age_clean(expr) }}::int
        when regexp_full_match({{ age_clean(expr) }}, '\d{1,3}\s*(-|–|to)\s*\d{1,3}') then regexp_extract({{ age_clean(expr) }}, '^(\d+)', 1)::int
        when regexp_full_match({{ age_clean(expr) }}, '(under|<)\s*\d{1,3}') then 0
        when regexp_full_match({{ age_clean(expr) }}, '\d{1,3}\s*(\+|and over|or over|plus)|(over|>)\s*\d{1,3}') then regexp_extract({{ age_clean(expr) }}, '(\d+)', 1)::int
    end
{%- endmacro %}

{% macro age_high(expr) -%}
    case
        when regexp_full_match({{ age_clean(expr) }}, '\d{1,3}') then {{ age_clean(expr) }}::int
        when regexp_full_match({{ age_clean(expr) }}, '\d{1,3}\s*(-|–|to)\s*\d{1,3}') then regexp_extract({{ age_clean(expr) }}, '(\d+)$', 1)::int
        when regexp_full_match({{ age_clean(expr) }}, '(under|<)\s*\d{1,3}') then regexp_extract({{ age_clean(expr) }}, '(\d+)', 1)::int - 1
        when regexp_full_match({{ age_clean(expr) }}, '\d{1,3}\s*(\+|and over|or over|plus)|(over|>)\s*\d{1,3}') then 120
    end
{%- endmacro %}
