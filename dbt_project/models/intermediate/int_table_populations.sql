-- What each table of each current return counts, period by period: its community
-- resolutions (outcome 8, or every count of a table without an outcome column) and its
-- counts of every outcome, as bounds. period_label '*' is a table that gives no period
-- (it covers whatever periods the force's other tables cover). int_table_roles compares
-- tables of one force with these figures to find the tables that count one population.
with groups as (
    select
        o.return_id,
        o.table_id,
        case
            when o.period_label is not null then o.period_label
            when o.period_type = 'not given' then '*'
            else 'unrecognised: ' || coalesce(o.period_raw, '')
        end as period_label,
        o.has_offence_column,
        o.has_nationality_column,
        o.has_outcome_column,
        ({{ effective_outcome_type('o.has_outcome_column', 'oc.outcome_type') }}) = '8' as is_cr,
        coalesce(o.pinned_low, cm.count_low, 0) * o.observations as low,
        coalesce(o.pinned_high, cm.count_high, 0) * o.observations as high,
        o.observations
    from {{ ref('int_observation_groups') }} as o
    left join {{ ref('int_outcome_map') }} as oc on o.outcome_raw = oc.outcome_raw
    left join {{ ref('int_count_map') }} as cm on o.count_raw = cm.count_raw
)

select
    g.return_id,
    r.force_slug,
    r.source_file,
    g.table_id,
    g.period_label,
    -- the days a period covers, to tell periods that overlap without being the same
    -- (calendar 2023 and financial 2022/23)
    case
        when regexp_full_match(g.period_label, '\d{4}/\d{2}') then make_date(left(g.period_label, 4)::int, 4, 1)
        when regexp_full_match(g.period_label, '\d{4}') then make_date(g.period_label::int, 1, 1)
    end as period_start,
    case
        when regexp_full_match(g.period_label, '\d{4}/\d{2}') then make_date(left(g.period_label, 4)::int + 1, 3, 31)
        when regexp_full_match(g.period_label, '\d{4}') then make_date(g.period_label::int, 12, 31)
    end as period_end,
    bool_or(g.has_offence_column) as has_offence,
    bool_or(g.has_nationality_column) as has_nationality,
    bool_or(g.has_outcome_column) as has_outcome,
    coalesce(sum(g.low) filter (where g.is_cr), 0)::bigint as cr_low,
    coalesce(sum(g.high) filter (where g.is_cr), 0)::bigint as cr_high,
    sum(g.low)::bigint as all_low,
    sum(g.high)::bigint as all_high,
    sum(g.observations)::bigint as observations
from groups as g
inner join {{ ref('stg_raw__returns') }} as r using (return_id)
where r.read_status = 'loaded'
group by all
