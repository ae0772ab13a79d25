-- Every distinct (offence code, offence text) pair -> Home Office class and ONS group.
-- Tried in order, first hit wins:
--   1. the code column as a code ('19E', '019/16', '19/16', '37/2', '4/6');
--      a 5-digit number is a code Excel turned into a date serial ('4/6' -> 43986);
--   2. the text column as a code (forces put codes in a column headed 'Offence');
--   3. a code at the start of the text ('19E Rape of a female child under 13');
--   4. the text as a description, via the reviewed text aliases;
--   5. the description without the Act and section that some forces write around it
--      ('Sexual Offences Act 2003 s.3 - Sexual assault on a female',
--       'Sexual assault on a female (Sexual Offences Act 2003 s.3)').
with distinct_values as (
    select distinct offence_code_raw, offence_text_raw from {{ ref('int_observation_groups') }}
),

code_forms as (
    select
        offence_code_raw,
        offence_text_raw,
        {{ offence_code_form('offence_code_raw') }} as code_form,
        {{ offence_code_form('offence_text_raw') }} as text_code_form,
        upper(regexp_extract(trim(offence_text_raw), '^(\d{1,3}[A-Za-z]?|\d{1,3}[./]\d{1,2})(?:[\s:\-–]+)', 1)) as text_prefix_code,
        {{ lookup_key('offence_text_raw') }} as text_key,
        {{ lookup_key(strip_act_and_section('offence_text_raw')) }} as text_key_without_act
    from distinct_values
),

resolved as (
    select
        c.*,
        coalesce(a1.class_code, a2.class_code, a3.class_code, ta.class_code, tb.class_code) as class_code,
        case
            when a1.class_code is not null then 'code column'
            when a2.class_code is not null then 'code in text column'
            when a3.class_code is not null then 'code prefix in text'
            when ta.class_code is not null then 'description'
            when tb.class_code is not null then 'description without Act and section'
        end as offence_rule
    from code_forms as c
    left join {{ ref('offence_code_aliases') }} as a1 on c.code_form = a1.code_text
    left join {{ ref('offence_code_aliases') }} as a2 on c.text_code_form = a2.code_text
    left join {{ ref('offence_code_aliases') }} as a3 on c.text_prefix_code = a3.code_text
    left join {{ ref('offence_text_aliases') }} as ta on c.text_key = ta.offence_key
    left join {{ ref('offence_text_aliases') }} as tb on c.text_key_without_act = tb.offence_key
)

select
    r.offence_code_raw,
    r.offence_text_raw,
    r.class_code as ho_offence_code,
    cls.class_name as ho_offence_name,
    cls.offence_group,
    cls.offence_subgroup,
    r.offence_rule
from resolved as r
left join {{ ref('offence_classes') }} as cls on r.class_code = cls.class_code
