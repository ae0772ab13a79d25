{# How far a figure is proven: the weakest reading behind it.
     reconciled  every table behind it equals the return's own totals, or another table of
                 the same population
     profile     some rest on a reading a person approved in the return profile
     unverified  some rest on a reading nothing could check (plausible, but unproven) #}
{% macro weakest_verification(expr) -%}
    case
        when bool_and({{ expr }} = 'reconciled') then 'reconciled'
        when bool_and({{ expr }} in ('reconciled', 'profile')) then 'profile'
        else 'unverified'
    end
{%- endmacro %}
