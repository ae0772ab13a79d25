"""Fixed facts the generator draws from: force sizes, offence and nationality weights,
the published story's exact figures, Act-and-section prefixes. Realistic, not real."""

from __future__ import annotations

import datetime as dt

# Financial years asked for, and the calendar years a force may answer with instead.
FINANCIAL_YEARS = [(2022, "2022/23"), (2023, "2023/24"), (2024, "2024/25")]
CALENDAR_YEARS = [2022, 2023, 2024]
# Home Office outcome-8 totals (all forces), used for the per-year split.
NATIONAL_T8 = {"2022/23": 143_270, "2023/24": 149_095, "2024/25": 168_739}


def fy_bounds(start_year: int) -> tuple[dt.date, dt.date]:
    return dt.date(start_year, 4, 1), dt.date(start_year + 1, 3, 31)


def cy_bounds(year: int) -> tuple[dt.date, dt.date]:
    return dt.date(year, 1, 1), dt.date(year, 12, 31)


def fy_label(d: dt.date) -> str:
    start = d.year if d.month >= 4 else d.year - 1
    return f"{start}/{(start + 1) % 100:02d}"


# Police officer strength, roughly (2024), as the size of each force's community
# resolution volume before a per-force jitter.
FORCE_WEIGHT = {
    "metropolitan": 34000, "greater-manchester": 8000, "west-midlands": 7800, "west-yorkshire": 6000,
    "thames-valley": 5000, "merseyside": 4000, "kent": 4000, "hampshire": 3700, "essex": 3800,
    "lancashire": 3500, "northumbria": 3800, "south-yorkshire": 3100, "devon-and-cornwall": 3600,
    "avon-and-somerset": 3200, "sussex": 3200, "south-wales": 3300, "hertfordshire": 2300,
    "surrey": 2200, "nottinghamshire": 2400, "leicestershire": 2300, "west-mercia": 2500,
    "staffordshire": 1900, "derbyshire": 2000, "humberside": 2200, "cheshire": 2300,
    "cleveland": 1500, "durham": 1300, "northamptonshire": 1500, "norfolk": 1900, "suffolk": 1400,
    "cambridgeshire": 1700, "bedfordshire": 1400, "lincolnshire": 1200, "north-yorkshire": 1600,
    "cumbria": 1300, "warwickshire": 1100, "gloucestershire": 1300, "wiltshire": 1100,
    "dorset": 1400, "north-wales": 1600, "gwent": 1500, "dyfed-powys": 1300,
    "city-of-london": 1000, "btp": 3100,
}

# Relative share of foreign nationals among recorded nationalities, by force.
FOREIGN_BASE = {
    "metropolitan": 3.2, "city-of-london": 3.5, "btp": 2.4,
    **{s: 1.7 for s in ["bedfordshire", "hertfordshire", "essex", "kent", "surrey", "sussex",
                        "thames-valley", "hampshire", "cambridgeshire", "northamptonshire", "leicestershire"]},
    **{s: 1.5 for s in ["west-midlands", "greater-manchester", "west-yorkshire", "nottinghamshire",
                        "lincolnshire", "norfolk", "avon-and-somerset", "south-yorkshire"]},
    **{s: 0.6 for s in ["north-wales", "gwent", "dyfed-powys", "south-wales"]},
    **{s: 0.5 for s in ["durham", "cumbria", "northumbria", "cleveland"]},
}

# Forces never refusing in this story (the published figures name them) and the Met,
# which is kept returning so the largest force is in the data.
ALWAYS_RETURNING = {"durham", "derbyshire", "humberside", "metropolitan"}

# --- offences ----------------------------------------------------------------------------

# Classes whose totals the story publishes exactly. Never suppressed, never unmapped.
SEXUAL_COUNTS = {
    "19C": 2, "20A": 1020, "20B": 24, "17A": 190, "17B": 13, "21": 41, "22B": 123, "22A": 58,
    "23": 9, "70": 14, "71": 6, "73": 22, "88A": 96, "88C": 612, "88D": 3, "88E": 716,
}
OTHER_FIXED_COUNTS = {"86": 748, "11A": 80, "36": 4, "13": 2}
FIXED_COUNTS = {**SEXUAL_COUNTS, **OTHER_FIXED_COUNTS}
HEADLINE_CLASSES = frozenset(FIXED_COUNTS) | {"19D", "19E", "19F", "19G", "19H", "72"}
RAPE_FORCES = {"derbyshire": "19C", "humberside": "19C"}

# Share of all other community resolutions by class (per cent, before a per-force jitter).
CLASS_WEIGHTS = {
    "46": 17.0, "105A": 16.0, "8N": 8.5, "92E": 9.0, "9A": 8.0, "8L": 4.5, "8R": 4.0,
    "58D": 3.0, "58A": 3.0, "58C": 3.0, "58B": 1.5, "92D": 3.5, "49": 3.0, "49A": 1.5,
    "39": 0.4, "40": 0.3, "41": 0.3, "44": 0.7, "45": 0.6, "48": 0.3, "37.2": 0.1, "126": 0.3,
    "8M": 0.4, "9B": 0.6, "105B": 0.8, "58J": 0.2, "104": 0.9, "8S": 0.2, "10C": 0.4, "10D": 0.6,
    "33": 0.1, "54": 0.4, "8Q": 0.4, "8U": 0.3, "3B": 0.4, "30C": 0.3, "28E": 0.1, "34B": 0.15,
    "56B": 0.3, "59": 0.2, "66": 0.4, "61A": 0.05, "99": 0.2, "802": 0.05, "95": 0.05, "81": 0.05,
    "90": 0.05, "62A": 0.05, "35": 0.02, "43": 0.03, "47": 0.02, "92C": 0.1, "96": 0.05, "79": 0.03,
    "27": 0.02, "92A": 0.15,
}
# Share of offenders aged under 18, and female, by class (default otherwise).
YOUTH_SHARE = {"86": 0.55, "21": 0.7, "22B": 0.75, "20A": 0.45, "17A": 0.45, "88C": 0.5, "88A": 0.4,
               "46": 0.2, "58A": 0.3, "58D": 0.35, "92E": 0.25, "105A": 0.25}
FEMALE_SHARE = {"46": 0.38, "105A": 0.27, "8N": 0.22, "8R": 0.4, "8L": 0.32, "49A": 0.3, "11A": 0.5}
SEXUAL_FEMALE_SHARE = 0.05

# Classes that may carry a deliberately unmappable local label.
LOCAL_LABEL_CLASSES = ["99", "49"]
LOCAL_LABELS = ["Local offence - see notes", "Other"]

# "<Act> <year> s.<n> - <description>": the description is a seed text (kinds offence
# or police_label) so that it maps once the prefix is stripped.
ACT_LABELS = {
    "46": "Theft Act 1968 s.1 - Theft from shops and stalls",
    "49": "Theft Act 1968 s.1 - Other theft",
    "49A": "Theft Act 1978 s.3 - Making off without payment",
    "20A": "Sexual Offences Act 2003 s.3 - Sexual assault on a female",
    "17A": "Sexual Offences Act 2003 s.3 - Sexual assault on a male",
    "20B": "Sexual Offences Act 2003 s.7 - Sexual assault of a female child under 13",
    "17B": "Sexual Offences Act 2003 s.7 - Sexual assault on a male child under 13",
    "21": "Sexual Offences Act 2003 s.8 - Causing or inciting a child under 13 to engage in sexual activity - Female child - no penetration",
    "22B": "Sexual Offences Act 2003 s.9 - Sexual activity with a child under 16 - Female child - no penetration",
    "22A": "Sexual Offences Act 2003 s.4 - Causing a person to engage in sexual activity without consent - Female person - no penetration",
    "88A": "Sexual Offences Act 2003 s.15A - Engage in sexual communication with a child",
    "88C": "Sexual Offences Act 2003 s.66B - Share photograph or film of person in intimate state without consent",
    "88E": "Sexual Offences Act 2003 s.66 - Exposure",
    "105A": "Criminal Justice Act 1988 s.39 - Common assault",
    "8N": "Offences against the Person Act 1861 s.47 - Assault occasioning actual bodily harm",
    "9A": "Public Order Act 1986 s.4A - Intentional harassment alarm or distress",
    "9B": "Crime and Disorder Act 1998 s.31 - Racially aggravated public order",
    "8L": "Protection from Harassment Act 1997 s.2 - Harassment",
    "8R": "Malicious Communications Act 1988 s.1 - Malicious communications",
    "92E": "Misuse of Drugs Act 1971 s.5 - Possession of cannabis",
    "92D": "Misuse of Drugs Act 1971 s.5 - Possession of Class A drugs",
    "86": "Protection of Children Act 1978 s.1 - Take/ make / distribute indecent photographs or pseudo- photographs, of children",
    "11A": "Children and Young Persons Act 1933 s.1 - Cruelty to and neglect of children",
    "13": "Child Abduction Act 1984 s.2 - Abduction of child by other persons",
    "10D": "Criminal Justice Act 1988 s.139 - Possession of article with blade or point",
    "10C": "Prevention of Crime Act 1953 s.1 - Possession of offensive weapon",
    "58A": "Criminal Damage Act 1971 s.1 - Criminal damage to dwelling",
    "58D": "Criminal Damage Act 1971 s.1 - Criminal damage - other",
    "8Q": "Protection from Harassment Act 1997 s.2A - Stalking",
    "8U": "Serious Crime Act 2015 s.76 - Controlling or coercive behaviour",
}

# Outcome labels in record-level exports.
CR_LABELS = ["Community Resolution", "8: Community resolution", "Type 8 - Community Resolution"]
YOUTH_CR_LABEL = "8: Youth restorative disposal"
OTHER_OUTCOMES = [  # (label, weight)
    ("1: Charged/Summonsed", 45), ("3: Caution - adults", 18), ("2: Caution - youths", 7),
    ("Penalty Notice for Disorder", 12), ("7: Cannabis/Khat warning", 10), ("Adult Caution", 4),
    ("Conditional Caution", 4),
]

# --- nationalities ------------------------------------------------------------------------

# Foreign nationalities seen among offenders in England and Wales, with relative weights.
COMMON_COUNTRIES = {
    "ROU": 14, "POL": 12, "LTU": 5, "IRL": 5, "ALB": 4, "IND": 3, "PAK": 2.5, "BGR": 3, "LVA": 2.5,
    "PRT": 3, "ITA": 2.5, "ESP": 1.5, "SOM": 2, "ERI": 1.5, "AFG": 2, "IRQ": 2, "IRN": 2, "SDN": 1.5,
    "NGA": 2, "CHN": 1.5, "VNM": 1.5, "TUR": 1.5, "SYR": 1.2, "EGY": 0.6, "GRC": 0.6, "HUN": 1,
    "SVK": 1.2, "CZE": 0.8, "FRA": 1, "DEU": 0.8, "NLD": 0.5, "BRA": 1.2, "JAM": 1.2, "GHA": 0.8,
    "ZWE": 0.8, "KEN": 0.5, "ETH": 0.6, "BGD": 1, "LKA": 0.6, "UKR": 1.2, "RUS": 0.5, "MDA": 0.6,
    "KWT": 0.3, "SAU": 0.3, "USA": 0.6, "CAN": 0.3, "AUS": 0.4, "NZL": 0.2, "ZAF": 0.6, "PHL": 0.4,
    "MYS": 0.2, "THA": 0.2, "MAR": 0.4, "DZA": 0.5, "TUN": 0.2, "LBY": 0.3, "YEM": 0.2, "COD": 0.5,
    "AGO": 0.3, "XKX": 0.6,
}
TAIL_WEIGHT = 0.04
STATELESS_SHARE = 0.002
# Countries common enough that a lossy spelling ("Foreign National", a typo) never
# removes them from a countries figure.
LOSSY_OK = ["ROU", "POL", "LTU", "IRL", "PRT", "BGR"]
TYPOS = {"ROU": "Romanain", "POL": "Polsih", "LTU": "Lithuanain"}

# The story: distinct foreign countries among drug and violent offenders (tables giving
# offence and nationality together).
COUNTRIES_DRUG = 128
COUNTRIES_VIOLENCE = 99
GIRLS_13_16_LOW = 134

NOT_RECORDED_TEXTS = ["Not Recorded", "Unknown", "Not Known", "Not Stated", ""]
UK_TEXTS = {
    "demonym": ["British"], "country": ["United Kingdom"], "iso3": ["GBR"], "upper": ["BRITISH"],
    "police": ["British", "English", "Welsh", "Scottish", "UK", "British Citizen"],
}

# The Counting Rules offence text a force would pick for a class (its most common
# offence), where the notifiable offence list has one; other classes fall back to the
# ONS description.
COUNTING_TEXT = {
    "46": "Theft from shops and stalls",
    "9A": "Causing intentional harassment, alarm or distress",
    "8R": "Send indecent or grossly offensive communication to cause distress or anxiety",
    "92E": "Having possession of a controlled drug - cannabis",
    "92D": "Having possession of a controlled drug - Cocaine",
    "58A": "Other criminal damage to a residence",
    "58B": "Other criminal damage to a building business and community",
    "58C": "Other criminal damage to a vehicle",
    "58D": "Other criminal damage, under \u00a35,000",
    "49": "Theft if not classified elsewhere",
    "44": "Theft of a pedal cycle",
    "48": "Theft of a motor vehicle",
    "39": "Theft from the person of another",
    "104": "Assault or assault by beating on a constable",
    "10D": "Having an article with a blade or point in a public place",
    "10C": "Possession of offensive weapon without lawful authority or reasonable excuse",
    "105B": "Racially or religiously aggravated common assault or beating",
    "9B": "Racially or religiously aggravated intentional harassment or alarm or distress - words or writing",
    "8M": "Racially or religiously aggravated harassment or stalking without violence",
    "8Q": "Stalking involving serious alarm/distress",
    "8U": "Engage in controlling/coercive behaviour in an intimate / family relationship.",
    "54": "Receiving stolen goods",
    "126": "Interference with a motor vehicle",
    "59": "Threats to destroy or damage property",
    "88E": "Sending photograph etc or film of genitals",
    "88C": "Share photograph or film of person in intimate state without consent",
    "17A": "Sexual assault on a male",
    "20A": "Sexual assault on a female",
    "88A": "Engage in sexual communication with a child",
    "86": "Take/ make / distribute indecent photographs or pseudo- photographs, of children",
    "20B": "Sexual assault of a female child under 13",
    "21": "Sexual activity with a child under 13 - Female child - no penetration - Offender under 18",
    "22B": "Sexual activity with a child under 16 - Female child - no penetration - Offender under 18",
    "11A": "Cruelty to and neglect of children",
    "13": "Abduction of child by other persons",
}
