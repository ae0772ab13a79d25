{# One headline figure: the sum of bounds of the conformed observations in `view`
   (offence or nationality, see int_observations) matching `condition`, with the forces
   that contributed and the share of it whose nationality was not recorded.
   `high_condition`, when given, is what the upper bound counts instead (a wider scope:
   foreign nationals' high adds the nationalities that could not be mapped, any of which
   may be foreign); forces_contributing follows the upper bound's scope.
   verification is the weakest reading behind the figure (macros/verification.sql), and
   unverified_low / unverified_high how much of it rests on readings nothing could check
   (none for a number of countries: not a count). #}
{% macro headline_figure(figure_id, label, definition, condition, view='offence', high_condition=none) -%}
    {%- set high_condition = high_condition or condition -%}
    select
        '{{ figure_id }}' as figure_id,
        '{{ label }}' as figure,
        'count' as measure,
        coalesce(sum(total_low) filter (where {{ condition }}), 0)::bigint as value_low,
        coalesce(sum(total_high) filter (where {{ high_condition }}), 0)::bigint as value_high,
        count(distinct force_name) filter (where count_high > 0 and ({{ high_condition }})) as forces_contributing,
        round(coalesce(sum(total_low) filter (where nationality_category = 'unknown' and ({{ condition }})), 0)
              / nullif(sum(total_low) filter (where {{ condition }}), 0), 4) as share_nationality_not_recorded,
        '{{ definition }}' as definition,
        {{ headline_verification(condition, high_condition) }}
    from {{ ref('int_community_resolution_groups') }}
    where in_{{ view }}_view and (({{ condition }}) or ({{ high_condition }}))
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
        '{{ definition }}' as definition,
        {{ headline_verification('count_high > 0', 'count_high > 0', counts=false) }}
    from {{ ref('int_community_resolution_groups') }}
    where has_offence_column and has_nationality_column
      and nationality_category = 'foreign' and nationality_iso3 is not null and nationality_iso3 <> 'XXA'
      and ({{ condition }})
{%- endmacro %}

{# The verification columns of a headline figure: the weakest reading among the groups
   it counts, and what of its low and high bounds rests on unverified readings. #}
{% macro headline_verification(condition, high_condition, counts=true) -%}
    coalesce(
        case
            when bool_and(verification = 'reconciled') filter (where {{ high_condition }}) then 'reconciled'
            when bool_and(verification in ('reconciled', 'profile')) filter (where {{ high_condition }}) then 'profile'
            when count(*) filter (where {{ high_condition }}) > 0 then 'unverified'
        end, 'reconciled') as verification,
        {% if counts -%}
        coalesce(sum(total_low) filter (where verification = 'unverified' and ({{ condition }})), 0)::bigint as unverified_low,
        coalesce(sum(total_high) filter (where verification = 'unverified' and ({{ high_condition }})), 0)::bigint as unverified_high
        {%- else -%}
        cast(null as bigint) as unverified_low,
        cast(null as bigint) as unverified_high
        {%- endif %}
{%- endmacro %}
