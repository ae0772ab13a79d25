-- Every distinct outcome text -> Home Office outcome type. '8: Youth restorative disposal',
-- 'Type 8 - Community Resolution' and 'Community Resolution' are all outcome 8; the words
-- after the number are kept as the sub-type when they say more than 'community resolution'.
-- A bilingual label ('Datrysiad Cymunedol / Community Resolution') that does not map whole
-- is read by its parts: the parts that map must agree on one outcome type, else it stays
-- unrecognised (and its rows are quarantined).
with distinct_values as (
    select distinct outcome_raw from {{ ref('int_observation_groups') }} where has_outcome_column
),

-- the whole text (part 0), and the parts of a text with ' / ' or ' | ' in it
candidates as (
    select outcome_raw, outcome_raw as candidate, 0 as part from distinct_values
    union all
    select d.outcome_raw, trim(u.p), 1
    from distinct_values as d, unnest(string_split_regex(d.outcome_raw, '\s+[/|]\s+')) as u(p)
    where regexp_matches(d.outcome_raw, '\s[/|]\s')
),

keyed as (
    select
        outcome_raw,
        candidate,
        part,
        {{ lookup_key('candidate') }} as outcome_key,
        regexp_extract({{ lookup_key('candidate') }}, '^(?:outcome |type |ot |o )?(\d{1,2}[a-z]?)(?: |$)', 1) as code_prefix,
        trim(regexp_replace({{ lookup_key('candidate') }}, '^(?:outcome |type |ot |o )?\d{1,2}[a-z]?(?: |$)', '')) as rest
    from candidates
),

types as (
    select upper(outcome_type) as outcome_type, description, {{ lookup_key('description') }} as description_key
    from {{ ref('ho_outcome_types') }}
),

mapped as (
    select
        k.outcome_raw,
        k.part,
        coalesce(a.outcome_type, t_code.outcome_type, t_desc.outcome_type, a_rest.outcome_type) as outcome_type,
        case
            when a.outcome_type is not null then a.outcome_subtype
            when k.rest not in ('', 'community resolution', 'community resolutions') and a_rest.outcome_subtype is not null then a_rest.outcome_subtype
            when k.code_prefix <> '' and k.rest not in ('', 'community resolution', 'community resolutions') then regexp_replace(trim(k.candidate), '^(?i:outcome |type |ot |o )?\s*\d{1,2}[a-z]?\s*[:\-–.)]?\s*', '')
        end as outcome_subtype
    from keyed as k
    left join {{ ref('outcome_aliases') }} as a on k.outcome_key = a.outcome_key
    left join types as t_code on upper(k.code_prefix) = t_code.outcome_type and k.code_prefix <> ''
    left join types as t_desc on k.outcome_key = t_desc.description_key
    left join {{ ref('outcome_aliases') }} as a_rest on k.rest = a_rest.outcome_key and k.code_prefix = ''
),

by_parts as (
    select outcome_raw, min(outcome_type) as outcome_type, min(outcome_subtype) as outcome_subtype
    from mapped
    where part = 1 and outcome_type is not null
    group by outcome_raw
    having count(distinct outcome_type) = 1
)

select
    w.outcome_raw,
    coalesce(w.outcome_type, p.outcome_type) as outcome_type,
    case when w.outcome_type is not null then w.outcome_subtype else p.outcome_subtype end as outcome_subtype
from mapped as w
left join by_parts as p using (outcome_raw)
where w.part = 0
