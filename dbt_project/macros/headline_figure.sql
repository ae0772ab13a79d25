{# One headline figure: the sum of bounds of the conformed observations in `view`
   (offence or nationality, see int_observations) matching `condition`, with the forces
   that contributed and the share of it whose nationality was not recorded. #}
{% macro headline_figure(figure_id, label, definition, condition, view='offence') -%}
    select
        '{{ figure_id }}' as figure_id,
        '{{ label }}' as figure,
        'count' as measure,
        coalesce(sum(total_low), 0)::bigint as value_low,
        coalesce(sum(total_high), 0)::bigint as value_high,
        count(distinct force_name) filter (where count_high > 0) as forces_contributing,
        round(coalesce(sum(total_low) filter (where nationality_category = 'unknown'), 0)
              / nullif(sum(total_low), 0), 4) as share_nationality_not_recorded,
        '{{ definition }}' as definition
    from {{ ref('int_community_resolution_groups') }}
    where in_{{ view }}_view and ({{ condition }})
{%- endmacro %}

{# Number of distinct countries of nationality among offenders matching `condition`, over
   tables that give offence and nationality together: low counts countries with a certain
   (count_low > 0) cell, high those possibly present (count_high > 0). #}
{% macro headline_countries(figure_id, label, definition, condition) -%}
    select
        '{{ figure_id }}' as figure_id,
        '{{ label }}' as figure,
        'countries' as measure,
        count(distinct nationality_iso3) filter (where count_low > 0)::bigint as value_low,
        count(distinct nationality_iso3) filter (where count_high > 0)::bigint as value_high,
        count(distinct force_name) filter (where count_high > 0) as forces_contributing,
        cast(null as double) as share_nationality_not_recorded,
        '{{ definition }}' as definition
    from {{ ref('int_community_resolution_groups') }}
    where has_offence_column and has_nationality_column
      and nationality_category = 'foreign' and nationality_iso3 is not null and nationality_iso3 <> 'XXA'
      and ({{ condition }})
{%- endmacro %}
