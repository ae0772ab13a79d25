-- Every observation of every current return, interpreted, with what happens to it.
-- Views: a force that gives offences and nationalities as separate tables (or files) of
-- the same population must not be added up twice. A force's offence view is its tables
-- with an offence column (all its tables if none has one); its nationality view likewise.
-- Offence marts and figures read the offence view, nationality ones the nationality view.
-- Disposition:
--   loaded      a community resolution count that reaches the marts
--   filtered    another outcome type (not a community resolution)
--   quarantined a count that cannot be read, an outcome that cannot be recognised,
--               or a return whose force is unknown
with obs as (
    select * from {{ ref('stg_raw__observations') }}
),

returns as (
    select * from {{ ref('int_returns') }}
),

force_views as (
    select r.force_slug, bool_or(o.has_offence_column) as any_offence_table, bool_or(o.has_nationality_column) as any_nationality_table
    from obs as o
    inner join returns as r using (return_id)
    group by r.force_slug
)

select
    o.return_id,
    r.force_code,
    r.force_name,
    r.force_slug,
    r.source_file,
    r.sha256,
    o.sheet,
    o.source_row,
    o.source_column,
    o.table_id,
    o.shape,
    o.has_offence_column or not fv.any_offence_table as in_offence_view,
    o.has_nationality_column or not fv.any_nationality_table as in_nationality_view,

    o.period_raw,
    o.period_source,
    coalesce(p.period_type, 'not given') as period_type,
    p.period_start,
    p.period_end,
    case when p.fy_start_year is not null
        then p.fy_start_year::varchar || '/' || lpad(((p.fy_start_year + 1) % 100)::varchar, 2, '0')
    end as financial_year,
    case
        when p.period_type = 'calendar_year' then year(p.period_start)::varchar
        when p.fy_start_year is not null then p.fy_start_year::varchar || '/' || lpad(((p.fy_start_year + 1) % 100)::varchar, 2, '0')
    end as period_label,

    o.has_offence_column,
    o.offence_code_raw,
    o.offence_text_raw,
    om.ho_offence_code,
    om.ho_offence_name,
    om.offence_group,
    om.offence_subgroup,
    om.offence_rule,

    o.outcome_raw,
    case when o.has_outcome_column then oc.outcome_type else '8' end as outcome_type,
    case when o.has_outcome_column then oc.outcome_subtype end as outcome_subtype,
    case when o.has_outcome_column then 'outcome column' else 'implied: the return answers for community resolutions only' end as outcome_rule,

    o.has_nationality_column,
    o.nationality_raw,
    nm.iso3 as nationality_iso3,
    nm.country_name as nationality_name,
    case when o.has_nationality_column then nm.category else 'unknown' end as nationality_category,
    case when o.has_nationality_column then nm.nationality_rule else 'not provided by the force' end as nationality_rule,

    o.offender_age_raw as offender_age_band,
    o.offender_sex_raw as offender_sex,
    o.victim_age_raw as victim_age_band,
    {{ age_low('o.victim_age_raw') }} as victim_age_low,
    {{ age_high('o.victim_age_raw') }} as victim_age_high,

    o.count_raw,
    {{ count_rule('o.count_raw') }} as count_rule,
    {{ count_low('o.count_raw') }} as count_low,
    {{ count_high('o.count_raw') }} as count_high,

    case
        when r.status <> 'loaded' then 'quarantined'
        when {{ count_rule('o.count_raw') }} = 'unreadable' then 'quarantined'
        when o.has_outcome_column and oc.outcome_type is null then 'quarantined'
        when (case when o.has_outcome_column then oc.outcome_type else '8' end) <> '8' then 'filtered'
        else 'loaded'
    end as disposition,
    case
        when r.status <> 'loaded' then r.reason
        when {{ count_rule('o.count_raw') }} = 'unreadable'
            then 'unreadable count ''' || o.count_raw || ''' in column ' || coalesce(o.source_column, '?') || ': expected a whole number, a dash, or a suppression mark such as <5 or *'
        when o.has_outcome_column and oc.outcome_type is null
            then 'unrecognised outcome ''' || o.outcome_raw || ''': expected a Home Office outcome type such as ''8: Community resolution'''
        when (case when o.has_outcome_column then oc.outcome_type else '8' end) <> '8'
            then 'outcome ' || oc.outcome_type || ' is not a community resolution'
    end as disposition_reason
from obs as o
inner join returns as r using (return_id)
inner join force_views as fv on r.force_slug = fv.force_slug
left join {{ ref('int_period_map') }} as p on o.period_raw = p.period_raw
left join {{ ref('int_offence_map') }} as om
    on o.offence_code_raw is not distinct from om.offence_code_raw
    and o.offence_text_raw is not distinct from om.offence_text_raw
left join {{ ref('int_outcome_map') }} as oc on o.outcome_raw = oc.outcome_raw
left join {{ ref('int_nationality_map') }} as nm on o.nationality_raw = nm.nationality_raw
