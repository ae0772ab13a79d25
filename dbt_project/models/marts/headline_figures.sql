-- One row per published claim. value_low = value_high when nothing in scope was
-- suppressed; otherwise the claim is a range and "at least value_low" is the safe wording.
-- Sexual offences follow the ONS offence group, which excludes code 86 (indecent images
-- of children, "Obscene publications etc", in Miscellaneous crimes against society);
-- a second figure includes it so a reader can see the difference.
{{ headline_figure('total', 'Community resolutions', 'All outcome-8 observations in returned data, every period and offence.', 'true') }}
union all
{{ headline_figure('foreign_nationals', 'Community resolutions to foreign nationals', 'Nationality category foreign: a non-UK nationality or stateless. A lower bound of the true figure when nationality was not recorded for some rows.', "nationality_category = 'foreign'") }}
union all
{{ headline_figure('uk_nationals', 'Community resolutions to UK nationals', 'Nationality British, English, Welsh, Scottish, Northern Irish or UK (a dual national with British nationality counts here).', "nationality_category = 'uk'") }}
union all
{{ headline_figure('nationality_not_recorded', 'Community resolutions with nationality not recorded', 'Nationality not recorded, refused, unreadable, or not provided by the force.', "nationality_category = 'unknown'") }}
union all
{{ headline_figure('sexual_offences', 'Community resolutions for sexual offences (excluding code 86)', 'ONS offence group Sexual offences (HO classes 17-27, 70-73, 88, 19C-19H, 20A-B, 22A-B, ...). Excludes code 86.', "offence_group = 'Sexual offences'") }}
union all
{{ headline_figure('sexual_offences_incl_86', 'Community resolutions for sexual offences including indecent images (code 86)', 'ONS offence group Sexual offences plus HO class 86 (obscene publications, including indecent images of children).', "offence_group = 'Sexual offences' or ho_offence_code = '86'") }}
union all
{{ headline_figure('rape', 'Community resolutions for rape', 'ONS sub-group Rape (HO classes 19C-19H).', "offence_subgroup = 'Rape'") }}
union all
{{ headline_figure('indecent_images', 'Community resolutions for indecent images of children (code 86)', 'HO class 86, Obscene publications etc.', "ho_offence_code = '86'") }}
union all
{{ headline_countries('countries_drug_offences', 'Countries of nationality of drug offenders', 'Distinct ISO 3166 countries among foreign nationals given a community resolution for an offence in ONS group Drug offences (stateless and unspecified foreign excluded).', "offence_group = 'Drug offences'") }}
union all
{{ headline_countries('countries_violence', 'Countries of nationality of violent offenders', 'Distinct ISO 3166 countries among foreign nationals given a community resolution for an offence in ONS group Violence against the person.', "offence_group = 'Violence against the person'") }}
