-- Every distinct outcome text -> Home Office outcome type. '8: Youth restorative disposal',
-- 'Type 8 - Community Resolution' and 'Community Resolution' are all outcome 8; the words
-- after the number are kept as the sub-type when they say more than 'community resolution'.
with distinct_values as (
    select distinct outcome_raw from {{ ref('int_observation_groups') }} where has_outcome_column
),

keyed as (
    select
        outcome_raw,
        {{ lookup_key('outcome_raw') }} as outcome_key,
        regexp_extract({{ lookup_key('outcome_raw') }}, '^(?:outcome |type |ot |o )?(\d{1,2}[a-z]?)(?: |$)', 1) as code_prefix,
        trim(regexp_replace({{ lookup_key('outcome_raw') }}, '^(?:outcome |type |ot |o )?\d{1,2}[a-z]?(?: |$)', '')) as rest
    from distinct_values
),

types as (
    select upper(outcome_type) as outcome_type, description, {{ lookup_key('description') }} as description_key
    from {{ ref('ho_outcome_types') }}
)

select
    k.outcome_raw,
    coalesce(a.outcome_type, t_code.outcome_type, t_desc.outcome_type, a_rest.outcome_type) as outcome_type,
    case
        when a.outcome_type is not null then a.outcome_subtype
        when k.rest not in ('', 'community resolution', 'community resolutions') and a_rest.outcome_subtype is not null then a_rest.outcome_subtype
        when k.code_prefix <> '' and k.rest not in ('', 'community resolution', 'community resolutions') then regexp_replace(trim(k.outcome_raw), '^(?i:outcome |type |ot |o )?\s*\d{1,2}[a-z]?\s*[:\-–.)]?\s*', '')
    end as outcome_subtype
from keyed as k
left join {{ ref('outcome_aliases') }} as a on k.outcome_key = a.outcome_key
left join types as t_code on upper(k.code_prefix) = t_code.outcome_type and k.code_prefix <> ''
left join types as t_desc on k.outcome_key = t_desc.description_key
left join {{ ref('outcome_aliases') }} as a_rest on k.rest = a_rest.outcome_key and k.code_prefix = ''
