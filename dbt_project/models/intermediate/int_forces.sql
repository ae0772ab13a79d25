-- The 43 territorial forces of England and Wales and British Transport Police: the forces
-- a national FOI request goes to. Scotland and Northern Ireland are outside its scope.
select
    police_uk_slug as force_slug,
    ons_pfa_code as force_code,
    ho_outcomes_force_name as force_name,
    full_force_name,
    country
from {{ ref('police_forces') }}
where ho_outcomes_force_name is not null
