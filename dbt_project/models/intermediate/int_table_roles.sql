-- Which tables count a force's community resolutions, and which only check them.
--
-- Two tables of one force that cover a common period (or one of them gives no period) count
-- one population: a Summary sheet and the records it summarises, the same file sent twice,
-- an offence table and a nationality table of the same people, a corrected file beside the
-- first. So they must agree, period by period (within the bounds withheld cells allow), and
-- only one of them may be added up in each mart:
--   - figures that disagree are a conflict: every return involved is quarantined with both
--     numbers (int_returns), never added or picked between;
--   - a table without an outcome column whose figures match another table's count of every
--     outcome (not its community resolutions) counts all outcomes: it checks that table's
--     reading and is not counted (a year table of all crimes beside the record list);
--   - of two agreeing tables in a common view (offence or nationality), the one that covers
--     the other's periods, and gives at least its breakdowns, is counted and the other only
--     checks it; with the same periods, the more detailed one is counted (records before
--     aggregates, offence with nationality before either alone, then more cells). Agreeing
--     tables where neither covers the other in a common view are a conflict too.
-- A return whose profile says 'supersedes: <file>' replaces that file of the same force:
-- the older file's tables are not counted and not compared.
-- A table that agrees with another has its reading proven by it: verification 'reconciled'.
-- The view rule: a force's offence view is its tables with offences (all its tables if none
-- has them); its nationality view likewise.
with pops as (
    select * from {{ ref('int_table_populations') }}
),

superseded as (
    select old.return_id, string_agg(distinct new.source_file, ', ') as by_file
    from {{ ref('stg_raw__returns') }} as new, unnest(new.supersedes) as u(f)
    inner join {{ ref('stg_raw__returns') }} as old
        on old.force_slug = new.force_slug and old.return_id <> new.return_id
        and (old.file_name = trim(u.f) or old.source_file = trim(u.f))
    group by old.return_id
),

tables as (
    select
        p.return_id,
        p.force_slug,
        p.source_file,
        p.table_id,
        t.sheet,
        t.label,
        t.shape,
        t.reader_counted,
        t.reader_verification,
        t.subject,
        t.header_row,
        bool_or(p.has_offence) as has_offence,
        bool_or(p.has_nationality) as has_nationality,
        bool_or(p.has_outcome) as has_outcome,
        list(p.period_label order by p.period_label) filter (where p.period_label <> '*') as periods,
        bool_or(p.period_label = '*') as no_period,
        sum(p.cr_low)::bigint as cr_low,
        sum(p.cr_high)::bigint as cr_high,
        sum(p.all_low)::bigint as all_low,
        sum(p.all_high)::bigint as all_high,
        sum(p.observations)::bigint as observations,
        any_value(r.sha256) as sha256
    from pops as p
    inner join {{ ref('stg_raw__tables') }} as t using (return_id, table_id)
    inner join {{ ref('stg_raw__returns') }} as r using (return_id)
    group by all
),

named as (
    select
        *,
        source_file || case when sheet <> '' then ' sheet ''' || sheet || '''' else '' end
            || case when count(*) over (partition by return_id, sheet) > 1 and label is null
                    then ' table at row ' || header_row else '' end
            || coalesce(' ' || label, '') as table_name,
        -- more detail first: records before aggregates, offence with nationality before either alone
        row_number() over (
            partition by force_slug
            order by (shape = 'record') desc, (has_offence and has_nationality) desc, observations desc, source_file, table_id
        ) as detail_rank,
        coalesce(periods, []) as period_list
    from tables
),

-- views before any return is set aside, for telling which pairs would be added twice
views as (
    select
        n.*,
        n.has_offence or not bool_or(n.has_offence) over (partition by n.force_slug) as in_offence_view,
        n.has_nationality or not bool_or(n.has_nationality) over (partition by n.force_slug) as in_nationality_view
    from named as n
    where (n.reader_counted or n.subject like 'other:%') and n.return_id not in (select return_id from superseded)
),

-- periods of two tables that overlap: the same label, or days in common (2023 and 2022/23)
period_overlaps as (
    select
        pa.return_id as a_return, pa.table_id as a_table, pb.return_id as b_return, pb.table_id as b_table,
        bool_or(pa.period_label <> pb.period_label) as mismatched,
        string_agg(distinct pa.period_label || ' and ' || pb.period_label, ', ')
            filter (where pa.period_label <> pb.period_label) as mismatched_periods
    from pops as pa
    inner join pops as pb
        on pa.force_slug = pb.force_slug
        and (pa.return_id <> pb.return_id or pa.table_id <> pb.table_id)
        and (pa.period_label = pb.period_label
             or (pa.period_start <= pb.period_end and pb.period_start <= pa.period_end))
    where pa.period_label <> '*' and pb.period_label <> '*'
    group by all
),

pairs as (
    select
        a.return_id as a_return, a.table_id as a_table, a.table_name as a_name, a.detail_rank as a_rank,
        b.return_id as b_return, b.table_id as b_table, b.table_name as b_name, b.detail_rank as b_rank,
        a.sha256 = b.sha256 and a.return_id <> b.return_id as same_file,
        a.no_period or b.no_period as whole,
        a.has_outcome as a_has_outcome, b.has_outcome as b_has_outcome,
        a.subject like 'other:%' or b.subject like 'other:%' as other_subject,
        {{ bounds_text('a.cr_low', 'a.cr_high') }} || ' against ' || {{ bounds_text('b.cr_low', 'b.cr_high') }} as totals_text,
        (a.no_period or list_has_all(a.period_list, b.period_list)) as a_covers_b,
        (b.no_period or list_has_all(b.period_list, a.period_list)) as b_covers_a,
        (a.in_offence_view and b.in_offence_view) or (a.in_nationality_view and b.in_nationality_view) as common_view,
        (a.in_offence_view or not b.in_offence_view) and (a.in_nationality_view or not b.in_nationality_view) as a_views_cover_b,
        (b.in_offence_view or not a.in_offence_view) and (b.in_nationality_view or not a.in_nationality_view) as b_views_cover_a
        , coalesce(o.mismatched, false) as mismatched, o.mismatched_periods
    from views as a
    inner join views as b
        on a.force_slug = b.force_slug
        and a.detail_rank < b.detail_rank
    left join period_overlaps as o
        on o.a_return = a.return_id and o.a_table = a.table_id and o.b_return = b.return_id and o.b_table = b.table_id
    where a.no_period or b.no_period or o.a_return is not null
),

-- the figures each pair must agree on: period by period, or whole tables when one gives no period
pair_figures as (
    select
        p.*, pa.period_label,
        pa.cr_low as a_cr_low, pa.cr_high as a_cr_high, pa.all_low as a_all_low, pa.all_high as a_all_high,
        pb.cr_low as b_cr_low, pb.cr_high as b_cr_high, pb.all_low as b_all_low, pb.all_high as b_all_high
    from pairs as p
    inner join pops as pa on pa.return_id = p.a_return and pa.table_id = p.a_table
    inner join pops as pb on pb.return_id = p.b_return and pb.table_id = p.b_table and pa.period_label = pb.period_label
    where not p.whole
    union all
    select
        p.*, 'all periods',
        a.cr_low, a.cr_high, a.all_low, a.all_high, b.cr_low, b.cr_high, b.all_low, b.all_high
    from pairs as p
    inner join named as a on a.return_id = p.a_return and a.table_id = p.a_table
    inner join named as b on b.return_id = p.b_return and b.table_id = p.b_table
    where p.whole or p.mismatched  -- periods that overlap without matching cannot be compared one by one
),

verdicts as (
    select
        a_return, a_table, a_name, b_return, b_table, b_name,
        any_value(a_covers_b) as a_covers_b, any_value(b_covers_a) as b_covers_a,
        any_value(common_view) as common_view, any_value(a_rank) as a_rank, any_value(b_rank) as b_rank,
        any_value(a_views_cover_b) as a_views_cover_b, any_value(b_views_cover_a) as b_views_cover_a,
        any_value(totals_text) as totals_text,
        any_value(same_file) as same_file,
        any_value(other_subject) as other_subject,
        any_value(mismatched) as mismatched, any_value(mismatched_periods) as mismatched_periods,
        bool_and(a_cr_low <= b_cr_high and b_cr_low <= a_cr_high) as agree,
        -- a table without an outcome column matching the other's count of every outcome
        bool_and(not a_has_outcome and b_has_outcome and a_cr_low <= b_all_high and b_all_low <= a_cr_high) as a_counts_all,
        bool_and(not b_has_outcome and a_has_outcome and b_cr_low <= a_all_high and a_all_low <= b_cr_high) as b_counts_all,
        min(period_label) filter (where not (a_cr_low <= b_cr_high and b_cr_low <= a_cr_high)) as first_disagreement,
        arg_min(
            {{ bounds_text('a_cr_low', 'a_cr_high') }} || ' against ' || {{ bounds_text('b_cr_low', 'b_cr_high') }},
            case when a_cr_low <= b_cr_high and b_cr_low <= a_cr_high then 'z' || period_label else 'a' || period_label end
        ) as numbers,
        string_agg(period_label, ', ' order by period_label) as periods_compared
    from pair_figures
    group by a_return, a_table, a_name, b_return, b_table, b_name
),

judged as (
    select
        *,
        agree and a_covers_b and a_views_cover_b and (not b_covers_a or a_rank < b_rank) as a_dominates,
        agree and b_covers_a and b_views_cover_a and (not a_covers_b or b_rank < a_rank) as b_dominates,
        case
            -- a table titled as counting something else never conflicts: it checks or is set aside
            when not agree and not a_counts_all and not b_counts_all and not other_subject then
                a_name || ' and ' || b_name || ' count one population but disagree: '
                || first_disagreement || ' ' || numbers || ' community resolutions'
                || case when first_disagreement <> 'all periods' then ' (in all ' || totals_text || ')' else '' end
                || ' (keep only the right file, or add ''supersedes: <file>'' to the newer one''s return profile)'
        end as disagreement
    from verdicts
),

conflicts as (
    select
        *,
        coalesce(
            case when mismatched then
                a_name || ' and ' || b_name || ' cover overlapping periods in different ways (' || mismatched_periods
                || '): cannot tell whether they count the same people, so neither is added'
            end,
            disagreement,
            case when agree and common_view and not a_dominates and not b_dominates then
                a_name || ' and ' || b_name || ' cover overlapping periods (' || periods_compared
                || ') in the same breakdown and neither covers the other: cannot tell which to count'
            end) as conflict
    from judged
),

conflicting_returns as (
    select return_id, string_agg(distinct conflict, '; ') as conflict
    from (
        select a_return as return_id, conflict from conflicts where conflict is not null
        union all
        select b_return, conflict from conflicts where conflict is not null
    )
    group by return_id
),

-- what sets a table aside: another table it only checks
set_aside_reasons as (
    select b_return as return_id, b_table as table_id,
           case when same_file then b_name || ' is a copy of ' || a_name || ' (the same content): not added twice'
                else b_name || ' checks ' || a_name || ' (' || periods_compared || '): not added' end as reason
    from conflicts where conflict is null and a_dominates and not other_subject
        and a_return not in (select return_id from conflicting_returns)
    union all
    select a_return, a_table,
           case when same_file then a_name || ' is a copy of ' || b_name || ' (the same content): not added twice'
                else a_name || ' checks ' || b_name || ' (' || periods_compared || '): not added' end
    from conflicts where conflict is null and b_dominates and not other_subject
        and b_return not in (select return_id from conflicting_returns)
    union all
    select a_return, a_table, a_name || ' counts every outcome (it matches the outcomes of ' || b_name
        || '), not community resolutions: not added'
    from conflicts where conflict is null and a_counts_all and not agree
    union all
    select b_return, b_table, b_name || ' counts every outcome (it matches the outcomes of ' || a_name
        || '), not community resolutions: not added'
    from conflicts where conflict is null and b_counts_all and not agree
),

set_aside as (
    select return_id, table_id, string_agg(distinct reason, '; ') as reason
    from (
        select * from set_aside_reasons
        union all
        select n.return_id, n.table_id, n.table_name || ' is superseded by ' || s.by_file || ' (its return profile says so): not added'
        from named as n inner join superseded as s using (return_id)
    )
    group by all
),

-- a table's reading is proven by another that agrees with it
proven_by as (
    select return_id, table_id, string_agg(distinct other, '; ') as agrees_with
    from (
        select a_return as return_id, a_table as table_id, b_name || ' (' || periods_compared || ')' as other
        from conflicts where conflict is null and agree
        union all
        select b_return, b_table, a_name || ' (' || periods_compared || ')'
        from conflicts where conflict is null and agree
        union all
        select a_return, a_table, b_name || ' (every outcome)' from conflicts where conflict is null and b_counts_all and not agree
        union all
        select b_return, b_table, a_name || ' (every outcome)' from conflicts where conflict is null and a_counts_all and not agree
    )
    group by all
),

kept as (
    select n.*
    from named as n
    where n.reader_counted
      and n.return_id not in (select return_id from conflicting_returns)
      and not exists (select 1 from set_aside as s where s.return_id = n.return_id and s.table_id = n.table_id)
)

select
    n.return_id,
    n.table_id,
    n.force_slug,
    n.table_name,
    n.has_offence,
    n.has_nationality,
    n.periods,
    k.return_id is not null and (n.has_offence or not bool_or(k.has_offence) over (partition by n.force_slug)) as counted_offence,
    k.return_id is not null and (n.has_nationality or not bool_or(k.has_nationality) over (partition by n.force_slug)) as counted_nationality,
    case
        when n.reader_verification = 'reconciled' or pb.agrees_with is not null then 'reconciled'
        else n.reader_verification
    end as verification,
    pb.agrees_with,
    case
        when n.subject like 'other:%' then coalesce(s.reason, n.table_name || ' counts ' || substr(n.subject, 8)
            || ' (its title says), not community resolutions: not added')
        when not n.reader_counted then 'a view that checks the table it belongs to (the reader''s reading card says which): not added'
        else s.reason
    end as set_aside_reason,
    c.conflict
from named as n
left join kept as k on k.return_id = n.return_id and k.table_id = n.table_id
left join set_aside as s on s.return_id = n.return_id and s.table_id = n.table_id
left join proven_by as pb on pb.return_id = n.return_id and pb.table_id = n.table_id
left join conflicting_returns as c on c.return_id = n.return_id
