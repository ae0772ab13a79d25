-- One lookup keyed on the folded text: reviewed aliases (demonyms, police-system
-- spellings, UK and not-recorded values) win over the ISO names generated from pycountry.
-- A blank cell is 'unknown' (not recorded).
select nationality_key, iso3, country_name, category, 'alias: ' || kind as source
from {{ ref('nationality_aliases') }}
where nationality_key is not null
union all
select i.nationality_key, i.iso3, i.country_name, case when i.iso3 = 'GBR' then 'uk' else 'foreign' end, 'iso: ' || i.source
from {{ ref('iso_countries') }} as i
where i.nationality_key not in (select nationality_key from {{ ref('nationality_aliases') }} where nationality_key is not null)
union all
select '', null, null, 'unknown', 'blank'
