{# Same folding as orchestration/ingest/text.py:lookup_key; seeds are keyed on it. #}
{% macro lookup_key(expr) -%}
    trim(regexp_replace(lower(strip_accents(replace(coalesce({{ expr }}, ''), '&', ' and '))), '[^a-z0-9]+', ' ', 'g'))
{%- endmacro %}
