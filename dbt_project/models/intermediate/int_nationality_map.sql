-- Every distinct nationality text -> ISO 3166 alpha-3 and category uk / foreign / unknown.
-- Rule for several nationalities in one cell ('British/Irish', 'Romanian, Italian'):
-- the whole cell is looked up first; otherwise it is split on / , ; & + 'and', and
--   - if any part is British the person is a UK national (category uk, GBR);
--   - else the first part that maps gives the country.
-- A cell none of whose parts map is unmapped: counted as nationality 'unknown' with
-- nationality_rule 'unmapped' and listed in marts.unmapped_values.
with distinct_values as (
    select distinct nationality_raw
    from {{ ref('int_observation_groups') }}
    where has_nationality_column
),

lookup as (
    select * from {{ ref('int_nationality_lookup') }}
),

whole as (
    select d.nationality_raw, l.iso3, l.country_name, l.category
    from distinct_values as d
    inner join lookup as l on {{ lookup_key('d.nationality_raw') }} = l.nationality_key
),

parts as (
    select nationality_raw, unnest(parts) as part, generate_subscripts(parts, 1) as position
    from (
        select nationality_raw, string_split_regex(nationality_raw, '\s*(?:/|,|;|&|\+|\band\b)\s*') as parts
        from distinct_values
        where nationality_raw not in (select nationality_raw from whole)
    )
),

mapped_parts as (
    select p.nationality_raw, p.position, l.iso3, l.country_name, l.category
    from parts as p
    inner join lookup as l on {{ lookup_key('p.part') }} = l.nationality_key
    where l.category <> 'unknown'
),

split as (
    select
        nationality_raw,
        arg_min(iso3, case when category = 'uk' then 0 else position end) as iso3,
        arg_min(country_name, case when category = 'uk' then 0 else position end) as country_name,
        arg_min(category, case when category = 'uk' then 0 else position end) as category
    from mapped_parts
    group by nationality_raw
)

select d.nationality_raw, w.iso3, w.country_name, w.category, 'single' as nationality_rule
from distinct_values as d inner join whole as w using (nationality_raw)
union all
select d.nationality_raw, s.iso3, s.country_name, s.category, 'multiple: ' || (case when s.category = 'uk' then 'British wins' else 'first listed' end)
from distinct_values as d inner join split as s using (nationality_raw)
union all
select d.nationality_raw, null, null, 'unknown', 'unmapped'
from distinct_values as d
where d.nationality_raw not in (select nationality_raw from whole)
  and d.nationality_raw not in (select nationality_raw from split)
