-- Every distinct period text -> what the force actually reported. A financial year
-- ('2022/23', '2022/2023', 'FY22/23', '2022-23') runs 1 April to 31 March; a bare year is
-- a calendar year and keeps financial_year null (never relabelled); a date is one day
-- and belongs to exactly one financial year. financial_year and period_label are what the
-- marts show ('2022/23'; '2023' for a calendar year).
with distinct_values as (
    select distinct period_raw from {{ ref('stg_raw__observations') }} where period_raw is not null
),

parsed as (
    select
        period_raw,
        trim(period_raw) as t,
        regexp_extract(trim(period_raw), '^(?i:fy\s*)?(\d{2}|\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$', ['a', 'b']) as fy,
        try_strptime(trim(period_raw), ['%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%d/%m/%Y', '%d/%m/%Y %H:%M', '%d-%m-%Y', '%d.%m.%Y'])::date as day
    from distinct_values
),

typed as (
    select
        period_raw,
        case
            when fy.a <> '' then
                case when length(fy.a) = 2 then 2000 + fy.a::int else fy.a::int end
        end as fy_start,
        case
            when fy.b <> '' then
                case when length(fy.b) = 2 then 2000 + fy.b::int else fy.b::int end
        end as fy_end,
        case when regexp_full_match(t, '(19|20)\d{2}') then t::int end as cal_year,
        coalesce(day, case when regexp_full_match(t, '\d{5}') then date '1899-12-30' + t::int end) as day
    from parsed
)
,

mapped as (
    select
        period_raw,
        case
            when fy_start is not null and fy_end % 100 = (fy_start + 1) % 100 then 'financial_year'
            when cal_year is not null then 'calendar_year'
            when day is not null then 'day'
            else 'unrecognised'
        end as period_type,
        case
            when fy_start is not null and fy_end % 100 = (fy_start + 1) % 100 then make_date(fy_start, 4, 1)
            when cal_year is not null then make_date(cal_year, 1, 1)
            else day
        end as period_start,
        case
            when fy_start is not null and fy_end % 100 = (fy_start + 1) % 100 then make_date(fy_start + 1, 3, 31)
            when cal_year is not null then make_date(cal_year, 12, 31)
            else day
        end as period_end,
        case
            when fy_start is not null and fy_end % 100 = (fy_start + 1) % 100 then fy_start
            when cal_year is null and day is not null then
                case when month(day) >= 4 then year(day) else year(day) - 1 end
        end as fy_start_year
    from typed
)

select
    *,
    case when fy_start_year is not null
        then fy_start_year::varchar || '/' || lpad(((fy_start_year + 1) % 100)::varchar, 2, '0')
    end as financial_year,
    case
        when period_type = 'calendar_year' then year(period_start)::varchar
        when fy_start_year is not null then fy_start_year::varchar || '/' || lpad(((fy_start_year + 1) % 100)::varchar, 2, '0')
    end as period_label
from mapped
