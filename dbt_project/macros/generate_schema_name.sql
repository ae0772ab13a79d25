{# Schemas are named as configured (staging, intermediate, marts, reference): the mart
   schema name is a public contract, so no target prefix. #}
{% macro generate_schema_name(custom_schema_name, node) -%}
    {{ custom_schema_name if custom_schema_name else target.schema }}
{%- endmacro %}
