"""National ARRS reference data shipped with the portal: roles, maximum reimbursable
amounts, caps and rules, the allocation rate per weighted patient, and the sums ring-fenced
for one role beside the allocation.

Every figure comes from DOMAIN.md with its source keys. Keys of DOMAIN.md's own source
list (§10) are written as they are ("S64"); keys of Appendix A's separate list (A.5) are
prefixed "A." ("A.S14"). Where Appendix A and §3.2 differ, Appendix A is used, as
DOMAIN.md says.

Maximum amounts are annual, per WTE, for salary plus employer NI and pension. End dates
are the last day a row applies (inclusive), as everywhere in the portal. For every period in which
a role was reimbursable there is a row; where no source gives a figure the row is marked
unknown and carries no amount — the portal then caps nothing by a guess. Before 2021/22
there was no London weighting (A.3 rule 3), so those rows carry the national figure only.
Figures that only the public GitHub source A.S27 gives (the 2025/26 outer-London column)
are kept, marked in their note as unverified.

Knowingly missing: the 2021/22 amounts for every role but the advanced practitioner and
care co-ordinator; most 2022/23 to 2024/25 amounts for the newer roles; every amount after
the August 2025 backdated uplift and for 2026/27; the 2020/21 allocation rate.
"""

import datetime
from decimal import Decimal

D = datetime.date

# Period boundaries of Appendix A.1.
P2019 = (D(2019, 7, 1), D(2020, 3, 31))
P2020 = (D(2020, 4, 1), D(2021, 3, 31))
P2021 = (D(2021, 4, 1), D(2022, 3, 31))
P2022A = (D(2022, 4, 1), D(2022, 9, 30))
P2022B = (D(2022, 10, 1), D(2023, 6, 30))
P2023 = (D(2023, 7, 1), D(2024, 3, 31))
P2024A = (D(2024, 4, 1), D(2024, 9, 30))
P2024B = (D(2024, 10, 1), D(2025, 3, 31))
P2025 = (D(2025, 4, 1), D(2026, 3, 31))
P2026 = (D(2026, 4, 1), None)
PERIODS = [P2019, P2020, P2021, P2022A, P2022B, P2023, P2024A, P2024B, P2025, P2026]

NOTE_2024A = (
    "The amount from 1 July 2023, which still applied until 30 September 2024: The "
    "Pharmacist (Sep 2024) says the 1 October 2024 amount was 5.6% (clinical pharmacist) or "
    "5.7% (pharmacy technician) more than before. A reading of that article, not a figure "
    "it states. No London figures are given for this half year."
)
S27_NOTE = "Outer London figure from one public GitHub source only (UCR TECH): unverified."
NOTE_NA = (
    "From 1 October 2020, when the role became reimbursable; no London weighting before 2021/22."
)
NOTE_2025 = (
    "As published in March 2025, before the 3.6% (AfC) / 4% (DDRB) uplift backdated to "
    "1 April 2025, whose amounts no source gives (NHS North East London ICB; The Pharmacist, "
    "May 2025)."
)

ARRS_ROLES = [
    {
        "code": "clinical-pharmacist",
        "name": "Clinical pharmacist",
        "reimbursable_from": D(2019, 7, 1),
        "afc_bands": "7–8a",
        "notes": "70% reimbursed in 2019/20, 100% from April 2020.",
        "source": "S64, S65, S66",
    },
    {
        "code": "social-prescribing-link-worker",
        "name": "Social prescribing link worker",
        "reimbursable_from": D(2019, 7, 1),
        "afc_bands": "up to 5",
        "notes": "100% reimbursed from the start.",
        "source": "S64, S65",
    },
    {
        "code": "physician-associate",
        "name": "Physician associate",
        "reimbursable_from": D(2020, 4, 1),
        "afc_bands": "7",
        "source": "S65, S67",
    },
    {
        "code": "first-contact-physiotherapist",
        "name": "First contact physiotherapist",
        "reimbursable_from": D(2020, 4, 1),
        "afc_bands": "7–8a",
        "source": "S65, S67",
    },
    {
        "code": "pharmacy-technician",
        "name": "Pharmacy technician",
        "reimbursable_from": D(2020, 4, 1),
        "afc_bands": "5",
        "source": "S67, S68",
    },
    {
        "code": "care-coordinator",
        "name": "Care co-ordinator",
        "reimbursable_from": D(2020, 4, 1),
        "afc_bands": "4",
        "source": "S67, S68",
    },
    {
        "code": "health-and-wellbeing-coach",
        "name": "Health and wellbeing coach",
        "reimbursable_from": D(2020, 4, 1),
        "afc_bands": "up to 5",
        "source": "S67, S68",
    },
    {
        "code": "dietitian",
        "name": "Dietitian",
        "reimbursable_from": D(2020, 4, 1),
        "afc_bands": "7",
        "source": "S67, S68",
    },
    {
        "code": "podiatrist",
        "name": "Podiatrist",
        "reimbursable_from": D(2020, 4, 1),
        "afc_bands": "7",
        "source": "S67, S68",
    },
    {
        "code": "occupational-therapist",
        "name": "Occupational therapist",
        "reimbursable_from": D(2020, 4, 1),
        "afc_bands": "7",
        "source": "S67, S68",
    },
    {
        "code": "nursing-associate",
        "name": "Nursing associate",
        "reimbursable_from": D(2020, 10, 1),
        "afc_bands": "4",
        "source": "S53, S69",
    },
    {
        "code": "trainee-nursing-associate",
        "name": "Trainee nursing associate",
        "reimbursable_from": D(2020, 10, 1),
        "afc_bands": "3",
        "source": "S53, S69",
    },
    {
        "code": "paramedic",
        "name": "Paramedic",
        "reimbursable_from": D(2021, 4, 1),
        "afc_bands": "7",
        "notes": "Level 7 capability, or in a rotational model with an ambulance trust.",
        "source": "S70, S71",
    },
    {
        "code": "advanced-practitioner",
        "name": "Advanced practitioner",
        "reimbursable_from": D(2021, 4, 1),
        "afc_bands": "8a",
        "notes": (
            "Open to clinical pharmacists, physiotherapists, OTs, dietitians, podiatrists and "
            "paramedics at advanced level; advanced clinical practitioner nurses from April "
            "2023."
        ),
        "source": "S70, S69, S72; A.S11, A.S18, A.S42",
    },
    {
        "code": "mental-health-practitioner",
        "name": "Mental health practitioner",
        "reimbursable_from": D(2021, 4, 1),
        "afc_bands": "4–8a",
        "notes": "Employed by the community mental health provider, wholly deployed to the PCN.",
        "source": "S73, S74; A.S41",
    },
    {
        "code": "general-practice-assistant",
        "name": "General practice assistant",
        "reimbursable_from": D(2022, 10, 1),
        "afc_bands": "4",
        "source": "S75",
    },
    {
        "code": "digital-and-transformation-lead",
        "name": "Digital and transformation lead",
        "reimbursable_from": D(2022, 10, 1),
        "afc_bands": "8a",
        "source": "S75; A.S45",
    },
    {
        "code": "apprentice-physician-associate",
        "name": "Apprentice physician associate",
        "reimbursable_from": D(2023, 4, 1),
        "afc_bands": "5",
        "source": "S72, S76; A.S43",
    },
    {
        "code": "enhanced-practice-nurse",
        "name": "Enhanced practice nurse",
        "reimbursable_from": D(2024, 4, 1),
        "afc_bands": "7",
        "source": "S77; A.S16",
    },
    {
        "code": "gp",
        "name": "GP",
        "reimbursable_from": D(2024, 10, 1),
        "afc_bands": "",
        "notes": (
            "From October 2024 only GPs within two years of CCT, not already in post; the "
            "restriction was removed in 2026/27."
        ),
        "source": "S78, S79, S80; A.S31, A.S32",
    },
    {
        "code": "healthcare-support-worker",
        "name": "Healthcare support worker",
        "reimbursable_from": D(2025, 4, 1),
        "afc_bands": "3",
        "source": "S81, S82",
    },
    {
        "code": "new-to-general-practice-nurse",
        "name": "New-to-general-practice nurse",
        "reimbursable_from": D(2025, 4, 1),
        "afc_bands": "5",
        "source": "S81",
    },
    {
        "code": "experienced-general-practice-nurse",
        "name": "Experienced general practice nurse",
        "reimbursable_from": D(2025, 4, 1),
        "afc_bands": "6",
        "source": "S81",
    },
    {
        "code": "consultant-nurse",
        "name": "Consultant nurse in primary care",
        "reimbursable_from": D(2025, 4, 1),
        "afc_bands": "8c",
        "source": "S81, S83",
    },
]


def _amount(value):
    return None if value is None else Decimal(value)


# (role, band, period, national, outer London, inner London, source, note) for every cell
# Appendix A.1 fills. Periods a role was reimbursable in but has no row here are added
# below as unknown.
_KNOWN = [
    # 2019/20
    ("clinical-pharmacist", "", P2019, 37810, None, None, "A.S1, A.S2",
     "The 70% reimbursement cap; the same article's standfirst says 37,819."),
    ("social-prescribing-link-worker", "", P2019, 34113, None, None, "A.S1", ""),
    # 2020/21
    ("clinical-pharmacist", "", P2020, 55670, None, None, "A.S1, A.S2, A.S3, A.S6", ""),
    ("pharmacy-technician", "", P2020, 35389, None, None, "A.S1, A.S4, A.S5", ""),
    ("social-prescribing-link-worker", "", P2020, 35389, None, None, "A.S10", ""),
    ("care-coordinator", "", P2020, 29135, None, None, "A.S8", ""),
    ("first-contact-physiotherapist", "", P2020, 55670, None, None, "A.S7", ""),
    ("podiatrist", "", P2020, 53724, None, None, "A.S9", ""),
    # From 1 October 2020, when both roles became reimbursable.
    ("nursing-associate", "", (D(2020, 10, 1), P2020[1]), 29135, None, None,
     "S53; DOMAIN.md A.1 2020/21 (BMA)", NOTE_NA),
    ("trainee-nursing-associate", "", (D(2020, 10, 1), P2020[1]), 25671, None, None,
     "S53; DOMAIN.md A.1 2020/21 (BMA)", NOTE_NA),
    # 2021/22
    ("advanced-practitioner", "8a", P2021, 62705, None, None, "A.S11", ""),
    ("care-coordinator", "", P2021, 29726, None, None, "A.S11", ""),
    # 2022/23 first half
    ("clinical-pharmacist", "", P2022A, 57318, None, None, "A.S12", ""),
    ("social-prescribing-link-worker", "", P2022A, 36428, None, None, "A.S13", ""),
    # From 1 October 2022
    ("clinical-pharmacist", "", P2022B, 59312, None, 68768, "A.S12, A.S14", ""),
    ("pharmacy-technician", "", P2022B, 38187, None, None, "A.S14", ""),
    ("social-prescribing-link-worker", "", P2022B, 38187, None, None, "A.S14", ""),
    ("care-coordinator", "", P2022B, 31746, None, None, "A.S14", ""),
    ("first-contact-physiotherapist", "", P2022B, 59312, None, None, "A.S14", ""),
    # From 1 July 2023
    ("clinical-pharmacist", "", P2023, 62340, None, None, "A.S14", ""),
    ("pharmacy-technician", "", P2023, 40159, None, None, "A.S14", ""),
    ("social-prescribing-link-worker", "", P2023, 40159, None, None, "A.S14, A.S15", ""),
    ("care-coordinator", "", P2023, 33396, None, None, "A.S14", ""),
    ("first-contact-physiotherapist", "", P2023, 62340, None, None, "A.S14", ""),
    # 2024/25 first half
    ("enhanced-practice-nurse", "", P2024A, 60401, 67369, 70330, "A.S16", ""),
    # A.1 2024/25 first half: the amounts from 1 July 2023 carried on to 30 September 2024
    # (a reading of A.S17, which A.1 gives in italics); no London figures.
    ("clinical-pharmacist", "", P2024A, 62340, None, None, "A.S14, A.S17", NOTE_2024A),
    ("pharmacy-technician", "", P2024A, 40159, None, None, "A.S14, A.S17", NOTE_2024A),
    # From 1 October 2024
    ("clinical-pharmacist", "", P2024B, 65838, 73189, 76313, "A.S17", ""),
    ("advanced-practitioner", "8a", P2024B, 72141, 79492, 82616, "A.S17, A.S18",
     "Includes the advanced pharmacist practitioner."),
    ("pharmacy-technician", "", P2024B, 42437, 48991, 51176, "A.S17", ""),
    ("first-contact-physiotherapist", "", P2024B, 65838, None, None, "A.S57",
     "An undated page; the same figure as the clinical pharmacist from 1 October 2024. No "
     "London figures are given."),
    ("gp", "", P2024B, 92462, 95233, 95233, "A.S19, A.S21, A.S26",
     "Salary element 73,113. One London rate, shown in both London columns."),
    # 2025/26 as published
    ("clinical-pharmacist", "", P2025, 66972, 74392, 77545, "A.S22, A.S23, A.S27", NOTE_2025),
    ("advanced-practitioner", "8a", P2025, 73334, 80754, 83907, "A.S22, A.S27", NOTE_2025),
    # A.1's "band 7 line in source" (A.S27 only) is left out: the role is on band 8a in every
    # source quoting NHS England, so no post could use it (migration 0006 removed it).
    ("pharmacy-technician", "", P2025, 43352, 49967, 52172, "A.S22, A.S23, A.S27", NOTE_2025),
    ("social-prescribing-link-worker", "", P2025, None, 49967, None, "A.S27", S27_NOTE),
    ("health-and-wellbeing-coach", "", P2025, None, 49967, None, "A.S27", S27_NOTE),
    ("care-coordinator", "", P2025, None, 42038, None, "A.S27", S27_NOTE),
    ("physician-associate", "", P2025, None, 72327, None, "A.S27", S27_NOTE),
    ("apprentice-physician-associate", "", P2025, None, 49967, None, "A.S27", S27_NOTE),
    ("first-contact-physiotherapist", "", P2025, None, 74392, None, "A.S27", S27_NOTE),
    ("dietitian", "", P2025, None, 72327, None, "A.S27", S27_NOTE),
    ("podiatrist", "", P2025, None, 72327, None, "A.S27", S27_NOTE),
    ("occupational-therapist", "", P2025, None, 72327, None, "A.S27", S27_NOTE),
    ("paramedic", "", P2025, None, 72327, None, "A.S27", S27_NOTE),
    ("nursing-associate", "", P2025, None, 42038, None, "A.S27", S27_NOTE),
    ("trainee-nursing-associate", "", P2025, None, 38047, None, "A.S27", S27_NOTE),
    ("general-practice-assistant", "", P2025, None, 42038, None, "A.S27", S27_NOTE),
    ("digital-and-transformation-lead", "", P2025, None, 80754, None, "A.S27", S27_NOTE),
    ("enhanced-practice-nurse", "", P2025, 64907, 72327, None, "A.S56, A.S27",
     "National figure shared by the BMA before the 2025/26 contract was published in full "
     "(Nursing in Practice, 2025). " + S27_NOTE + " " + NOTE_2025),
    ("new-to-general-practice-nurse", "", P2025, 43352, 49967, None, "A.S24, A.S27", NOTE_2025),
    ("experienced-general-practice-nurse", "", P2025, 53319, 60739, None, "A.S24, A.S27",
     NOTE_2025),
    ("consultant-nurse", "", P2025, 102683, 110103, None, "A.S24, A.S27", NOTE_2025),
    ("healthcare-support-worker", "", P2025, 32159, 38047, None, "A.S24, A.S27", NOTE_2025),
    ("gp", "", P2025, 105882, 108680, 108680, "A.S25, A.S26, A.S27, A.S19",
     "Salary element 82,418. GPs have one London rate (Pulse PCN, Sep 2024), shown in both "
     "London columns; its figure is from one public GitHub source only (probably the single "
     "London rate): unverified."),
    # Mental health practitioners, 2025/26: the 100% line by band (A.S27; the 50% line for
    # first hires is exactly half, and whether it is a rule of the specification is
    # unverified, A.3 rule 4).
    ("mental-health-practitioner", "4", P2025, None, 42038, None, "A.S27", S27_NOTE),
    ("mental-health-practitioner", "5", P2025, None, 49967, None, "A.S27", S27_NOTE),
    ("mental-health-practitioner", "6", P2025, None, 60739, None, "A.S27", S27_NOTE),
    ("mental-health-practitioner", "7", P2025, None, 72327, None, "A.S27", S27_NOTE),
    ("mental-health-practitioner", "8a", P2025, None, 80754, None, "A.S27", S27_NOTE),
]  # fmt: skip


UNKNOWN_PERIOD_BAND = {"advanced-practitioner": "8a"}


def _maximum_amounts():
    rows = []
    covered = {}
    for role, band, (start, end), national, outer, inner, source, note in _KNOWN:
        rows.append(
            {
                "role": role,
                "afc_band": band,
                "period_start": start,
                "period_end": end,
                "national": _amount(national),
                "outer_london": _amount(outer),
                "inner_london": _amount(inner),
                "unknown": False,
                "note": note,
                "source": source,
            }
        )
        covered.setdefault(role, set()).add((band, start))
    for role in ARRS_ROLES:
        code, starts = role["code"], role["reimbursable_from"]
        # The advanced practitioner's amounts are for band 8a; its unknown periods are too.
        main_band = UNKNOWN_PERIOD_BAND.get(code, "")
        for start, end in PERIODS:
            if end is not None and end < starts:
                continue
            period_start = max(start, starts)
            if any(s == period_start for _, s in covered.get(code, set())):
                continue
            rows.append(
                {
                    "role": code,
                    "afc_band": main_band,
                    "period_start": period_start,
                    "period_end": end,
                    "national": None,
                    "outer_london": None,
                    "inner_london": None,
                    "unknown": True,
                    "note": "No published source the portal holds gives the amounts for this "
                    "period: they are in the year's Network Contract DES Contract Specification "
                    "(its table of maximum amounts).",
                    "source": "DOMAIN.md Appendix A.1 (blank)",
                }
            )
    return sorted(rows, key=lambda r: (r["role"], r["afc_band"], r["period_start"]))


MAXIMUM_AMOUNTS = _maximum_amounts()

POPULATION_THRESHOLD = 100_000  # the list size at which several caps double (A.3 rules 4, 5, 8)
# 2019/20: "more for PCNs over 100k" (A.2), by how much no source says: a cap with this
# threshold and no higher figure warns, never refuses, a network over it (workforce.rules).
OVER_100K = 100_001

ROLE_CAPS = [
    {
        "role": "clinical-pharmacist",
        "valid_from": D(2019, 7, 1),
        "valid_until": D(2020, 3, 31),
        "kind": "reimbursement_share",
        "share": Decimal("0.7"),
        "rule": "Clinical pharmacists were reimbursed at 70% of salary and on-costs in 2019/20.",
        "source": "S64; A.S1, A.S2",
    },
    {
        "role": "clinical-pharmacist",
        "valid_from": D(2019, 7, 1),
        "valid_until": D(2020, 3, 31),
        "kind": "max_wte",
        "max_count": Decimal(1),
        "population_threshold": OVER_100K,
        "rule": "At most 1 WTE clinical pharmacist per network in 2019/20. Networks over "
        "100,000 patients were entitled to more; no source the portal holds says how much.",
        "source": "S85, S65",
    },
    {
        "role": "social-prescribing-link-worker",
        "valid_from": D(2019, 7, 1),
        "valid_until": D(2020, 3, 31),
        "kind": "max_wte",
        "max_count": Decimal(1),
        "population_threshold": OVER_100K,
        "rule": "At most 1 WTE social prescribing link worker per network in 2019/20. "
        "Networks over 100,000 patients were entitled to more; no source the portal holds "
        "says how much.",
        "source": "S85, S65",
    },
    {
        "role": "social-prescribing-link-worker",
        "valid_from": D(2020, 4, 1),
        "valid_until": D(2021, 3, 31),
        "kind": "other",
        "rule": "Where social prescribing is subcontracted, up to £200 a month (£2,400 a year) "
        "per WTE may be claimed towards the provider's additional costs.",
        "source": "A.S10",
    },
    {
        "role": "pharmacy-technician",
        "valid_from": D(2020, 4, 1),
        "valid_until": D(2021, 3, 31),
        "kind": "max_posts",
        "max_count": Decimal(1),
        "population_threshold": POPULATION_THRESHOLD,
        "max_count_above_threshold": Decimal(2),
        "rule": "1 pharmacy technician per network (2 at 100,000 patients or more); the limit "
        "was removed in 2021/22.",
        # DOMAIN.md A.3 rule 8: "unless supply allowed", so a warning, not a refusal.
        "refuses": False,
        "source": "A.S4, A.S51",
    },
    {
        "role": "advanced-practitioner",
        "valid_from": D(2021, 4, 1),
        "valid_until": D(2022, 3, 31),
        "kind": "max_posts",
        "max_count": Decimal(1),
        "rule": "1 advanced practitioner per network in 2021/22.",
        "source": "S93",
    },
    {
        "role": "advanced-practitioner",
        "valid_from": D(2023, 4, 1),
        "valid_until": D(2024, 3, 31),
        "kind": "max_posts",
        "max_count": Decimal(3),
        "population_threshold": POPULATION_THRESHOLD,
        "max_count_above_threshold": Decimal(6),
        "rule": "3 advanced practitioners per network (6 at 100,000 patients or more) in "
        "2023/24; the cap was removed in 2024/25. (The 2022/23 cap is not verified.)",
        "source": "S72, S92; A.S42, A.S46",
    },
    {
        "role": "mental-health-practitioner",
        "valid_from": D(2021, 4, 1),
        "valid_until": D(2024, 3, 31),
        "kind": "reimbursement_share",
        "share": Decimal("0.5"),
        "rule": "The network pays and reclaims 50% of salary and employer NI and pension; the "
        "mental health provider pays the rest. From 2024/25 an MHP may be 100% ARRS-funded.",
        "source": "S73, S74, S92; A.S40",
    },
    {
        "role": "mental-health-practitioner",
        "valid_from": D(2021, 4, 1),
        "valid_until": D(2022, 3, 31),
        "kind": "max_wte",
        "max_count": Decimal(1),
        "population_threshold": POPULATION_THRESHOLD,
        "max_count_above_threshold": Decimal(2),
        "rule": "1 WTE per network (2 at 100,000 patients or more) in 2021/22.",
        "source": "S73, S74; A.S40",
    },
    {
        "role": "mental-health-practitioner",
        "valid_from": D(2022, 4, 1),
        "valid_until": D(2023, 3, 31),
        "kind": "max_wte",
        "max_count": Decimal(2),
        "population_threshold": POPULATION_THRESHOLD,
        "max_count_above_threshold": Decimal(4),
        "rule": "2 WTE per network (4 at 100,000 patients or more) in 2022/23; caps removed "
        "in 2023/24.",
        "source": "S76, S92; A.S37",
    },
    {
        "role": "general-practice-assistant",
        "valid_from": D(2022, 10, 1),
        "valid_until": None,
        "kind": "band_cap",
        "rule": "Reimbursed at most at Agenda for Change band 4.",
        "source": "S75; A.S44",
    },
    {
        "role": "digital-and-transformation-lead",
        "valid_from": D(2022, 10, 1),
        "valid_until": None,
        "kind": "max_posts",
        "max_count": Decimal(1),
        "rule": "1 digital and transformation lead per network.",
        "source": "S75; A.S44",
    },
    {
        "role": "apprentice-physician-associate",
        "valid_from": D(2023, 4, 1),
        "valid_until": None,
        "kind": "band_cap",
        "rule": "Capped at the band 5 equivalent.",
        "source": "A.S43",
    },
    {
        "role": "trainee-nursing-associate",
        "valid_from": D(2020, 10, 1),
        "valid_until": None,
        "kind": "band_cap",
        "rule": "Trainee (student) nursing associates are capped at band 3.",
        "source": "A.S45, A.S27",
    },
    {
        "role": "enhanced-practice-nurse",
        "valid_from": D(2024, 4, 1),
        "valid_until": D(2025, 3, 31),
        "kind": "max_posts",
        "max_count": Decimal(1),
        "population_threshold": POPULATION_THRESHOLD,
        "max_count_above_threshold": Decimal(2),
        "rule": "1 enhanced practice nurse per network (2 at 100,000 patients or more) in 2024/25.",
        "source": "S92, S77; A.S16",
    },
    {
        "role": "gp",
        "valid_from": D(2024, 10, 1),
        "valid_until": D(2025, 3, 31),
        "kind": "other",
        "rule": "Paid from a separate ring-fenced GP sum (£1.303 × weighted population for "
        "October–March), not usable for other roles and not carried into 2025/26.",
        "source": "S79, S80; A.S19, A.S21",
    },
]

# Who the GP role may fund (§3.1, A.3 rule 10), until 2026/27 removed the two-year limit
# (A.S31): checked by workforce.rules.check_eligibility from the post's answers.
ROLE_CAPS.append(
    {
        "role": "gp",
        "valid_from": D(2024, 10, 1),
        "valid_until": D(2026, 3, 31),
        "kind": "recent_gp",
        "rule": "Only GPs within two years of their Certificate of Completion of Training when "
        "the post starts, not locums, and not already employed as GPs before 1 October 2024. "
        "The two-year limit was removed for 2026/27.",
        "source": "S78, S79, S80, A.S19, A.S21, A.S26, A.S31",
    }
)

# The 12-month rule for the nurse and support roles added in 2025/26 (A.3 rule 11).
for _role in (
    "new-to-general-practice-nurse",
    "experienced-general-practice-nurse",
    "consultant-nurse",
    "healthcare-support-worker",
):
    ROLE_CAPS.append(
        {
            "role": _role,
            "valid_from": D(2025, 4, 1),
            "valid_until": None,
            "kind": "prior_employment",
            "rule": "Not reimbursable for anyone employed by the network or its member "
            "practices in the previous 12 months, unless recruited to a more senior or "
            "specialist nursing role.",
            "source": "S81; A.S25",
        }
    )

ALLOCATION_RATES = [
    {
        "financial_year": 2019,
        "pounds_per_weighted_patient": None,
        "population_basis": "A per-network entitlement: 1 clinical pharmacist at 70% and 1 "
        "social prescribing link worker",
        "national_total": None,
        "note": "No per-patient rate: the sum was a fixed entitlement.",
        "source": "A.S1",
    },
    {
        "financial_year": 2020,
        "pounds_per_weighted_patient": None,
        "population_basis": "Weighted population",
        "national_total": Decimal(430_000_000),
        "note": "No published source gives the per-patient rate; an earlier estimate of about "
        "£7.131 is superseded.",
        "source": "A.S39, A.S38",
    },
    {
        "financial_year": 2021,
        "pounds_per_weighted_patient": Decimal("12.300"),
        "population_basis": "Per patient, as reported (the weighting is not stated)",
        "national_total": Decimal(746_000_000),
        "note": "",
        "source": "A.S37, A.S38",
    },
    {
        "financial_year": 2022,
        "pounds_per_weighted_patient": Decimal("16.700"),
        "population_basis": "Per patient, as reported (the weighting is not stated)",
        "national_total": None,
        "note": "",
        "source": "A.S37",
    },
    {
        "financial_year": 2023,
        "pounds_per_weighted_patient": Decimal("22.671"),
        "population_basis": "PCN contractor weighted population at 1 January 2023",
        "national_total": Decimal(1_412_000_000),
        "note": "National total as planned in the 2020 contract agreement.",
        "source": "A.S36, A.S39",
    },
    {
        "financial_year": 2024,
        "pounds_per_weighted_patient": Decimal("22.894"),
        "population_basis": "PCN contractor weighted population at 1 January 2024",
        "national_total": None,
        "note": "Not changed when role maxima rose on 1 October 2024. A separate GP sum of "
        "£1.303 × weighted population covered 1 October 2024 – 31 March 2025.",
        "source": "A.S19, A.S17, A.S20, A.S21",
    },
    {
        "financial_year": 2025,
        "pounds_per_weighted_patient": Decimal("26.631"),
        "population_basis": "PCN contractor weighted population at 1 January 2025",
        "national_total": Decimal(1_711_000_000),
        "note": 'Includes GPs (the GP sum merged in). "Almost £1.7 billion" per Humberside LMC.',
        "source": "A.S22, A.S24, A.S42, A.S25, A.S31",
    },
    {
        "financial_year": 2026,
        "pounds_per_weighted_patient": None,
        "population_basis": "",
        "national_total": Decimal(1_754_000_000),
        "note": "No published source gives the rate per weighted patient yet; the national total "
        "is provisional.",
        "source": "A.S31",
    },
]

# Sums beside the allocation that only one role's posts draw on (workforce.RingFencedSum),
# each naming the public documents it comes from. 2024/25's GP sum: DOMAIN.md §3.3
# "GP ARRS 2024/25", §3.4 2024/25 and Appendix A.2 2024/25 (S79, S80; A.S19, A.S21).
RING_FENCED_SUMS = [
    {
        "financial_year": 2024,
        "role": "gp",
        "pounds_per_weighted_patient": Decimal("1.303"),
        "first_day": D(2024, 10, 1),
        "last_day": D(2025, 3, 31),
        "source": "ICB slide pack “GP ARRS Role: Funding and Reimbursement” (Oct 2024), citing "
        "Network Contract DES 10.5.4; Pulse PCN “PCNs can claim more for ARRS staff but "
        "funding remains flat” (Sep 2024)",
        "note": "£82m in total across England, × each network's weighted population at "
        "1 January 2024. Only GP posts draw on it: it cannot be used for other roles, and "
        "what is left is not carried into 2025/26, when the GP money joined the main ARRS "
        "sum. Also given by Ockham, “ARRS for GPs”.",
    },
]
