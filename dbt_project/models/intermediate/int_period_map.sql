-- Every distinct period text -> what the force actually reported. financial_year and
-- period_label are what the marts show ('2022/23'; '2023' for a calendar year).
--   financial_year  '2022/23', '2022/2023', 'FY22/23', '2022-23': 1 April to 31 March.
--   calendar_year   a bare year, '2023': keeps financial_year null (never relabelled).
--   quarter         '2023 Q1', 'Q1 2023', '2023-Q1': a calendar quarter (Q1 = Jan-Mar 2023,
--                   in 2022/23); 'Q1 2022/23', '2022/23 Q1', 'Q1 FY22/23': a quarter of the
--                   financial year (Q1 = Apr-Jun 2022). 'Quarter 1' as 'Q1'.
--   month           'Apr-22', "Apr'22", 'Apr 22', 'April 2022', 'Apr-2022' (a month name
--                   then a year: a two-digit year is 20yy, as Excel's mmm-yy), '2022-04',
--                   '2022/04'.
--   day             a date ('2022-04-01', '01/04/2022', an Excel serial).
--   a span          'April 2022 - March 2023', '1 April 2022 to 31 March 2023',
--                   '01/04/2022 - 31/03/2023': a financial year when it runs 1 April to
--                   31 March, a calendar year when January to December; any other span is
--                   unrecognised (a part of a year is never stretched to a year).
-- A month, quarter or day belongs to exactly one financial year: its period_label is that
-- financial year, so the marts roll months and quarters up into years. (Which months a
-- force covered is lost in the roll-up: period_start / period_end keep them.)
-- Anything else is 'unrecognised' and listed in unmapped_values: a quarter or month
-- without a year ('Q1', 'April'), 'FY23', '2021/23', '13/2022'. A text that reads as a
-- financial year is one: '2011-12' is 2011/12, not December 2011 (no month form of a year
-- from 2012 on collides).
-- A date used as a column heading ('2022-04-01' over a column of a month's counts) reads
-- as that day here: the text alone cannot tell a heading from a date cell. It still falls
-- in the right financial year.
with distinct_values as (
    select distinct period_raw from {{ ref('stg_raw__observations') }} where period_raw is not null
),

months (month_name, month_number) as (
    values ('jan', 1), ('january', 1), ('feb', 2), ('february', 2), ('mar', 3), ('march', 3),
           ('apr', 4), ('april', 4), ('may', 5), ('jun', 6), ('june', 6), ('jul', 7), ('july', 7),
           ('aug', 8), ('august', 8), ('sep', 9), ('sept', 9), ('september', 9), ('oct', 10),
           ('october', 10), ('nov', 11), ('november', 11), ('dec', 12), ('december', 12)
),

parsed as (
    select
        period_raw,
        trim(period_raw) as t,
        regexp_extract(lower(trim(period_raw)), '^(?:fy\s*)?(\d{2}|\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$', ['a', 'b']) as fy,
        -- quarter of a financial year: 'Q1 2022/23', '2022/23 Q1'
        regexp_extract(lower(trim(period_raw)), '^(?:q|quarter\s*)([1-4])[\s\-]*(?:fy\s*)?(\d{2}|\d{4})\s*[/\-–]\s*(\d{2}|\d{4})$', ['q', 'a', 'b']) as fyq_first,
        regexp_extract(lower(trim(period_raw)), '^(?:fy\s*)?(\d{2}|\d{4})\s*[/\-–]\s*(\d{2}|\d{4})[\s\-]*(?:q|quarter\s*)([1-4])$', ['a', 'b', 'q']) as fyq_last,
        -- quarter of a calendar year: 'Q1 2023', '2023 Q1'
        regexp_extract(lower(trim(period_raw)), '^(?:q|quarter\s*)([1-4])[\s\-]*((?:19|20)\d{2})$', ['q', 'y']) as calq_first,
        regexp_extract(lower(trim(period_raw)), '^((?:19|20)\d{2})[\s\-]*(?:q|quarter\s*)([1-4])$', ['y', 'q']) as calq_last,
        -- a month name then a year: 'Apr-22', 'April 2022'
        regexp_extract(lower(trim(period_raw)), '^([a-z]+)\.?[\s\-/'']*(\d{2}|(?:19|20)\d{2})$', ['m', 'y']) as named_month,
        -- year and month number: '2022-04', '2022/4'
        regexp_extract(trim(period_raw), '^((?:19|20)\d{2})[\-/](0?[1-9]|1[0-2])$', ['y', 'm']) as iso_month,
        try_strptime(trim(period_raw), ['%Y-%m-%d', '%Y-%m-%d %H:%M:%S', '%d/%m/%Y', '%d/%m/%Y %H:%M', '%d-%m-%Y', '%d.%m.%Y'])::date as day,
        -- a span of months: 'April 2022 - March 2023', '1 April 2022 to 31 March 2023'
        regexp_extract(lower(trim(period_raw)),
            '^(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([a-z]+)\.?\s+((?:19|20)\d{2})\s*(?:-|–|to)\s*(?:(\d{1,2})(?:st|nd|rd|th)?\s+)?([a-z]+)\.?\s+((?:19|20)\d{2})$',
            ['d1', 'm1', 'y1', 'd2', 'm2', 'y2']) as named_span,
        -- a span of dates: '01/04/2022 - 31/03/2023'
        regexp_extract(trim(period_raw),
            '^(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})\s*(?:-|–|to)\s*(\d{1,2})/(\d{1,2})/((?:19|20)\d{2})$',
            ['d1', 'm1', 'y1', 'd2', 'm2', 'y2']) as date_span
    from distinct_values
),

typed as (
    select
        p.period_raw,
        case when p.fy.a <> '' then {{ year_of('p.fy.a') }} end as fy_start,
        case when p.fy.b <> '' then {{ year_of('p.fy.b') }} end as fy_end,
        case
            when p.fyq_first.q <> '' then {{ year_of('p.fyq_first.a') }}
            when p.fyq_last.q <> '' then {{ year_of('p.fyq_last.a') }}
        end as fyq_start,
        case
            when p.fyq_first.q <> '' then {{ year_of('p.fyq_first.b') }}
            when p.fyq_last.q <> '' then {{ year_of('p.fyq_last.b') }}
        end as fyq_end,
        coalesce(nullif(p.fyq_first.q, ''), nullif(p.fyq_last.q, ''))::int as fyq_quarter,
        coalesce(nullif(p.calq_first.y, ''), nullif(p.calq_last.y, ''))::int as calq_year,
        coalesce(nullif(p.calq_first.q, ''), nullif(p.calq_last.q, ''))::int as calq_quarter,
        case when m.month_number is not null then {{ year_of('p.named_month.y') }} end as named_year,
        m.month_number as named_month,
        nullif(p.iso_month.y, '')::int as iso_year,
        nullif(p.iso_month.m, '')::int as iso_month,
        case when regexp_full_match(p.t, '(19|20)\d{2}') then p.t::int end as cal_year,
        coalesce(p.day, case when regexp_full_match(p.t, '\d{5}') then date '1899-12-30' + p.t::int end) as day,
        -- a span: its first and last month (a day, if given, must be the first and the last)
        case
            when m1.month_number is not null and m2.month_number is not null
                 and coalesce(nullif(p.named_span.d1, ''), '1')::int = 1
                 and (p.named_span.d2 = '' or p.named_span.d2::int = day(last_day(make_date(p.named_span.y2::int, m2.month_number, 1))))
                then make_date(p.named_span.y1::int, m1.month_number, 1)
            when p.date_span.y1 <> '' and p.date_span.d1::int = 1 and p.date_span.m1::int between 1 and 12
                 and p.date_span.m2::int between 1 and 12
                 and p.date_span.d2::int = day(last_day(make_date(p.date_span.y2::int, p.date_span.m2::int, 1)))
                then make_date(p.date_span.y1::int, p.date_span.m1::int, 1)
        end as span_start,
        case
            when m1.month_number is not null and m2.month_number is not null
                then last_day(make_date(p.named_span.y2::int, m2.month_number, 1))
            when p.date_span.y1 <> '' and p.date_span.m2::int between 1 and 12
                then last_day(make_date(p.date_span.y2::int, p.date_span.m2::int, 1))
        end as span_end
    from parsed as p
    left join months as m on p.named_month.m = m.month_name
    left join months as m1 on p.named_span.m1 = m1.month_name
    left join months as m2 on p.named_span.m2 = m2.month_name
),

-- the one reading of each text, in order: financial year, calendar year, quarter, month, day
read as (
    select
        case
            when fy_start is not null and fy_end % 100 = (fy_start + 1) % 100 then 'financial_year'
            when cal_year is not null then 'calendar_year'
            when fyq_start is not null and fyq_end % 100 = (fyq_start + 1) % 100 then 'financial_quarter'
            when calq_year is not null then 'calendar_quarter'
            when named_month is not null then 'named_month'
            when iso_month is not null then 'iso_month'
            when day is not null then 'day'
            when span_start is not null and month(span_start) = 4 and span_end = make_date(year(span_start) + 1, 3, 31)
                then 'financial_year_span'
            when span_start is not null and month(span_start) = 1 and span_end = make_date(year(span_start), 12, 31)
                then 'calendar_year_span'
            else 'unrecognised'
        end as reading,
        *
    from typed
),

mapped as (
    select
        period_raw,
        case
            when reading in ('financial_quarter', 'calendar_quarter') then 'quarter'
            when reading in ('named_month', 'iso_month') then 'month'
            when reading = 'financial_year_span' then 'financial_year'
            when reading = 'calendar_year_span' then 'calendar_year'
            else reading
        end as period_type,
        case reading
            when 'financial_year' then make_date(fy_start, 4, 1)
            when 'calendar_year' then make_date(cal_year, 1, 1)
            when 'financial_quarter' then (make_date(fyq_start, 4, 1) + to_months(3 * (fyq_quarter - 1)))::date
            when 'calendar_quarter' then make_date(calq_year, 3 * calq_quarter - 2, 1)
            when 'named_month' then make_date(named_year, named_month, 1)
            when 'iso_month' then make_date(iso_year, iso_month, 1)
            when 'day' then day
            when 'financial_year_span' then span_start
            when 'calendar_year_span' then span_start
        end as period_start,
        reading
    from read
),

bounded as (
    select
        period_raw,
        period_type,
        period_start,
        case period_type
            when 'financial_year' then make_date(year(period_start) + 1, 3, 31)
            when 'calendar_year' then make_date(year(period_start), 12, 31)
            when 'quarter' then last_day(period_start + to_months(2))
            when 'month' then last_day(period_start)
            when 'day' then period_start
        end as period_end,
        -- every period but a calendar year lies in one financial year: that of its first day
        case when period_type not in ('calendar_year', 'unrecognised') then
            case when month(period_start) >= 4 then year(period_start) else year(period_start) - 1 end
        end as fy_start_year
    from mapped
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
from bounded
