-- Every distinct (offence code, offence text) pair -> Home Office class and ONS group.
-- Tried in order, first hit wins:
--   1. the code column as a code ('19E', '019/16', '19/16', '37/2', '4/6');
--      a 5-digit number is a code Excel turned into a date serial ('4/6' -> 43986);
--   2. the text column as a code (forces put codes in a column headed 'Offence');
--   3. a code at the start of the text ('19E Rape of a female child under 13');
--   4. the text as a description, via the reviewed text aliases;
--   5. the description without the Act and section that some forces write around it
--      ('Sexual Offences Act 2003 s.3 - Sexual assault on a female',
--       'Sexual assault on a female (Sexual Offences Act 2003 s.3)');
--   6. the text as an ONS offence group or sub-group ('Violence with injury', 'Theft
--      offences') or a reviewed police / Home Office spelling of one ('THEFT', 'ARSON AND
--      CRIMINAL DAMAGE': offence_group_aliases): the group (and sub-group) is kept, the
--      Home Office class stays empty and offence_rule is 'ONS group only'. A group covers
--      several classes, so naming one would make it up.
--      A label that is both a class's own name and a group or sub-group name is read as
--      the class (rules 4-5 come first): 'Harassment' is class 8L, 'Shoplifting' class 46.
--      Police systems write a crime's class under that name, and the class carries the
--      same ONS group and sub-group, so group figures are the same either way.
--   7. a bilingual label ('Ymosod heb anaf / Assault without injury', Welsh forces):
--      split on ' / ' or ' | ', each part tried with rules 2-6; the part that maps wins.
--      Parts that map to different things leave the label unmapped.
with distinct_values as (
    select distinct offence_code_raw, offence_text_raw from {{ ref('int_observation_groups') }}
),

classes as (
    select * from {{ ref('offence_classes') }}
),

-- ONS groups and sub-groups by folded name: the hierarchy's own names first, then the
-- reviewed variants; one row per name (an ONS name beats a variant of the same key).
group_names as (
    select offence_key, offence_group, offence_subgroup
    from (
        select distinct {{ lookup_key('offence_group') }} as offence_key, offence_group, cast(null as varchar) as offence_subgroup, 1 as priority
        from classes where offence_group is not null
        union all
        select distinct {{ lookup_key('offence_subgroup') }}, offence_group, offence_subgroup, 2
        from classes where offence_subgroup is not null
        union all
        select offence_key, offence_group, offence_subgroup, 3
        from {{ ref('offence_group_aliases') }}
    )
    qualify row_number() over (partition by offence_key order by priority, offence_group, offence_subgroup) = 1
),

-- the parts of a label written in two languages, when the whole label does not map
label_parts as (
    select distinct offence_text_raw, trim(part) as part
    from (
        select offence_text_raw, unnest(string_split_regex(offence_text_raw, '\s+[/|]\s+')) as part
        from distinct_values
        where regexp_matches(offence_text_raw, '\s[/|]\s')
    )
),

-- every text to read (whole labels and parts) through rules 2-6
texts as (
    select offence_text_raw as text from distinct_values where offence_text_raw is not null
    union
    select part from label_parts where part <> ''
),

text_forms as (
    select
        text,
        {{ offence_code_form('text') }} as text_code_form,
        upper(regexp_extract(trim(text), '^(\d{1,3}[A-Za-z]?|\d{1,3}[./]\d{1,2})(?:[\s:\-–]+)', 1)) as text_prefix_code,
        {{ lookup_key('text') }} as text_key,
        {{ lookup_key(strip_act_and_section('text')) }} as text_key_without_act
    from texts
),

text_map as (
    select
        t.text,
        coalesce(a2.class_code, a3.class_code, ta.class_code, tb.class_code) as class_code,
        case when coalesce(a2.class_code, a3.class_code, ta.class_code, tb.class_code) is null then g.offence_group end as group_only,
        case when coalesce(a2.class_code, a3.class_code, ta.class_code, tb.class_code) is null then g.offence_subgroup end as subgroup_only,
        case
            when a2.class_code is not null then 'code in text column'
            when a3.class_code is not null then 'code prefix in text'
            when ta.class_code is not null then 'description'
            when tb.class_code is not null then 'description without Act and section'
            when g.offence_group is not null then 'ONS group only'
        end as offence_rule
    from text_forms as t
    left join {{ ref('offence_code_aliases') }} as a2 on t.text_code_form = a2.code_text
    left join {{ ref('offence_code_aliases') }} as a3 on t.text_prefix_code = a3.code_text
    left join {{ ref('offence_text_aliases') }} as ta on t.text_key = ta.offence_key
    left join {{ ref('offence_text_aliases') }} as tb on t.text_key_without_act = tb.offence_key
    left join group_names as g on t.text_key = g.offence_key
),

-- a bilingual label maps when its mapped parts all say the same thing
bilingual as (
    select
        p.offence_text_raw,
        min(m.class_code) as class_code,
        min(m.group_only) as group_only,
        min(m.subgroup_only) as subgroup_only,
        min(m.offence_rule) || ' (one part of a bilingual label)' as offence_rule
    from label_parts as p
    inner join text_map as m on p.part = m.text
    where m.offence_rule is not null
    group by p.offence_text_raw
    having count(distinct coalesce(m.class_code, '') || '|' || coalesce(m.group_only, '') || '|' || coalesce(m.subgroup_only, '')) = 1
),

resolved as (
    select
        d.offence_code_raw,
        d.offence_text_raw,
        case
            when a1.class_code is not null then a1.class_code
            when w.offence_rule is not null then w.class_code
            else b.class_code
        end as class_code,
        case
            when a1.class_code is not null then null
            when w.offence_rule is not null then w.group_only
            else b.group_only
        end as group_only,
        case
            when a1.class_code is not null then null
            when w.offence_rule is not null then w.subgroup_only
            else b.subgroup_only
        end as subgroup_only,
        case
            when a1.class_code is not null then 'code column'
            when w.offence_rule is not null then w.offence_rule
            else b.offence_rule
        end as offence_rule
    from distinct_values as d
    left join {{ ref('offence_code_aliases') }} as a1 on {{ offence_code_form('d.offence_code_raw') }} = a1.code_text
    left join text_map as w on d.offence_text_raw = w.text
    left join bilingual as b on d.offence_text_raw = b.offence_text_raw
)

select
    r.offence_code_raw,
    r.offence_text_raw,
    r.class_code as ho_offence_code,
    cls.class_name as ho_offence_name,
    coalesce(cls.offence_group, r.group_only) as offence_group,
    case when r.class_code is not null then cls.offence_subgroup else r.subgroup_only end as offence_subgroup,
    r.offence_rule
from resolved as r
left join classes as cls on r.class_code = cls.class_code
