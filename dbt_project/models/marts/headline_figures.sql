-- One row per published claim. value_low = value_high when nothing in scope was
-- suppressed; otherwise the claim is a range and "at least value_low" is the safe wording.
-- Offence figures read each force's offence view, nationality figures its nationality
-- view (int_observations), so a force that sends the two as separate tables of the same
-- population is not counted twice. Periods: whatever each force reported (financial
-- years, or calendar years where a force answered that way; see force_coverage).
-- Sexual offences follow the ONS offence group, which excludes code 86 (indecent images
-- of children, "Obscene publications etc", in Miscellaneous crimes against society); a
-- second figure includes it.
-- Nationality: a value that could not be mapped (category unmapped) is not 'not recorded':
-- it may be any nationality, so the high bounds of foreign and UK nationals both include
-- it, their low bounds do not, and nationality_unmapped counts it on its own.
{{ headline_figure('total', 'Community resolutions', 'All outcome-8 counts in returned data, every period and offence.', 'true') }}
union all
{{ headline_figure('foreign_nationals', 'Community resolutions to foreign nationals', 'Nationality category foreign: a non-UK nationality or stateless (low). The high bound adds the nationalities that could not be mapped (nationality_unmapped), any of which may be foreign. A lower bound of the true figure when nationality was not recorded for some rows or not provided by a force.', "nationality_category = 'foreign'", 'nationality', high_condition="nationality_category in ('foreign', 'unmapped')") }}
union all
{{ headline_figure('uk_nationals', 'Community resolutions to UK nationals', 'Nationality British, English, Welsh, Scottish, Northern Irish or UK (a dual national with British nationality counts here) (low). The high bound adds the nationalities that could not be mapped (nationality_unmapped), any of which may be a British spelling, so the high bounds of UK and foreign nationals overlap and must not be added.', "nationality_category = 'uk'", 'nationality', high_condition="nationality_category in ('uk', 'unmapped')") }}
union all
{{ headline_figure('nationality_not_recorded', 'Community resolutions with nationality not recorded', 'Nationality not recorded, unknown, refused or blank, or not provided by the force (category unknown). Excludes nationalities written but not mapped (nationality_unmapped).', "nationality_category = 'unknown'", 'nationality') }}
union all
{{ headline_figure('nationality_unmapped', 'Community resolutions with a nationality that could not be mapped', 'Nationality written but matching no reviewed spelling or ISO 3166 name (category unmapped; each value is listed in unmapped_values). Counted in the high bounds of foreign and UK nationals.', "nationality_category = 'unmapped'", 'nationality') }}
union all
{{ headline_figure('sexual_offences', 'Community resolutions for sexual offences (excluding code 86)', 'ONS offence group Sexual offences: rape (19C-19H), sexual assault (17A-B, 20A-B), sexual activity with children (21, 22B), and the other classes ONS groups there. Excludes code 86.', "offence_group = 'Sexual offences'") }}
union all
{{ headline_figure('sexual_offences_incl_86', 'Community resolutions for sexual offences including indecent images (code 86)', 'ONS offence group Sexual offences plus HO class 86 (obscene publications, including indecent images of children).', "offence_group = 'Sexual offences' or ho_offence_code = '86'") }}
union all
{{ headline_figure('rape', 'Community resolutions for rape', 'ONS sub-group Rape (HO classes 19C-19H and later 19 classes).', "offence_subgroup = 'Rape'") }}
union all
{{ headline_figure('sexual_assault_girls_under_13', 'Community resolutions for sexual assault on a girl under 13', 'HO class 20B, sexual assault on a female child under 13.', "ho_offence_code = '20B'") }}
union all
{{ headline_figure('sexual_assault_boys_under_13', 'Community resolutions for sexual assault on a boy under 13', 'HO class 17B, sexual assault on a male child under 13.', "ho_offence_code = '17B'") }}
union all
select
    'sexual_assault_girls_13_to_16' as figure_id,
    'Community resolutions for sexual assault on a girl aged 13 to 16' as figure,
    'count' as measure,
    coalesce(sum(total_low) filter (where victim_age_low >= 13 and victim_age_high <= 16), 0)::bigint as value_low,
    coalesce(sum(total_high) filter (where victim_age_low is null or (victim_age_low <= 16 and victim_age_high >= 13)), 0)::bigint as value_high,
    count(distinct force_name) filter (where count_high > 0 and victim_age_low <= 16 and victim_age_high >= 13) as forces_contributing,
    round(coalesce(sum(total_low) filter (where nationality_category = 'unknown' and victim_age_low >= 13 and victim_age_high <= 16), 0)
          / nullif(sum(total_low) filter (where victim_age_low >= 13 and victim_age_high <= 16), 0), 4) as share_nationality_not_recorded,
    'HO class 20A (sexual assault on a female aged 13 and over) with the victim''s age known to lie within 13 to 16 (low); high adds every 20A whose victim age is unknown or overlaps 13 to 16. Only some forces give victim age, so the low value is the claim: "at least".' as definition,
    {{ headline_verification('victim_age_low >= 13 and victim_age_high <= 16',
                             'victim_age_low is null or (victim_age_low <= 16 and victim_age_high >= 13)') }}
from {{ ref('int_community_resolution_groups') }}
where in_offence_view and ho_offence_code = '20A'
union all
{{ headline_figure('indecent_images', 'Community resolutions for indecent images of children (code 86)', 'HO class 86, Obscene publications etc.', "ho_offence_code = '86'") }}
union all
{{ headline_figure('sexual_activity_children', 'Community resolutions for sexual activity with children', 'HO classes 21 (sexual activity involving a child under 13) and 22B (sexual activity involving a child under 16).', "ho_offence_code in ('21', '22B')") }}
union all
{{ headline_figure('child_cruelty', 'Community resolutions for child cruelty', 'HO class 11A, cruelty to children/young persons.', "ho_offence_code = '11A'") }}
union all
{{ headline_figure('kidnapping_abduction', 'Community resolutions for kidnapping and child abduction', 'HO classes 36 (kidnapping) and 13 (child abduction).', "ho_offence_code in ('36', '13')") }}
union all
{{ headline_countries('countries_drug_offences', 'Countries of nationality of drug offenders', 'Distinct ISO 3166 countries (Kosovo XKX included; stateless and unspecified foreign excluded) among foreign nationals given a community resolution for an offence in ONS group Drug offences, over returns that give offence and nationality together.', "offence_group = 'Drug offences'") }}
union all
{{ headline_countries('countries_violence', 'Countries of nationality of violent offenders', 'Distinct ISO 3166 countries among foreign nationals given a community resolution for an offence in ONS group Violence against the person, over returns that give offence and nationality together.', "offence_group = 'Violence against the person'") }}
