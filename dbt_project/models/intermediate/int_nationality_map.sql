-- Every distinct nationality text -> ISO 3166 alpha-3 and category:
--   uk       British, English, Welsh, Scottish, Northern Irish, UK;
--   foreign  any other nationality, stateless, or foreign without a country ('EU National');
--   unknown  the force did not record it: Not recorded, Unknown, Refused, blank, not provided;
--   unmapped written, but matching no reviewed alias or ISO name ('Atlantean'): it may be a
--            foreign nationality or a British spelling, so it is neither 'unknown' nor guessed.
-- Rule for several nationalities in one cell ('British/Irish', 'Romanian, Italian'):
-- the whole cell is looked up first; otherwise it is split on / , ; & + 'and', and
--   - if any part is British the person is a UK national (category uk, GBR);
--   - else the first part that maps gives the country;
--   - if every part is a not-recorded value ('Not known / Refused') the cell is unknown.
-- Anything else is unmapped: category 'unmapped', nationality_rule 'unmapped', listed in
-- marts.unmapped_values (a cell with one unmapped part and one not-recorded part too).
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
),

-- every part a not-recorded value: the force recorded nothing
all_unknown as (
    select p.nationality_raw
    from parts as p
    left join lookup as l on {{ lookup_key('p.part') }} = l.nationality_key
    where p.nationality_raw not in (select nationality_raw from split)
    group by p.nationality_raw
    having bool_and(coalesce(l.category = 'unknown', false))
)

select d.nationality_raw, w.iso3, w.country_name, w.category, 'single' as nationality_rule
from distinct_values as d inner join whole as w using (nationality_raw)
union all
select d.nationality_raw, s.iso3, s.country_name, s.category, 'multiple: ' || (case when s.category = 'uk' then 'British wins' else 'first listed' end)
from distinct_values as d inner join split as s using (nationality_raw)
union all
select nationality_raw, null, null, 'unknown', 'multiple: not recorded'
from all_unknown
union all
select d.nationality_raw, null, null, 'unmapped', 'unmapped'
from distinct_values as d
where d.nationality_raw not in (select nationality_raw from whole)
  and d.nationality_raw not in (select nationality_raw from split)
  and d.nationality_raw not in (select nationality_raw from all_unknown)
