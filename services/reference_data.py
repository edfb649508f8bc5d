"""The national service specifications of the Network Contract DES, shipped with the portal.

From DOMAIN.md §4 (the seven specifications) and §7 (Extended Hours Access and Enhanced
Access), with their source keys. End dates are the last day (inclusive): end_date is the
last day the specification applied on its own. Where DOMAIN.md gives a financial year rather
than a day, the specification starts on 1 April of that year and its requirements carry
the day delivery started where DOMAIN.md gives one. In 2024/25 the eight specifications
were rolled into four functions (DOMAIN.md §4, S21, S125–S127), so each ends on
31 March 2024, the last day of 2023/24.

From 2024/25 the four key functions (DOMAIN.md §4, S21, S125, S126, S127) are held as
specifications of their own kind, each with its requirements; Enhanced Access stays
separate. DOMAIN.md gives no later change to them, so they have no end date.

CARE_HOME_PREMIUM_RATES: the Care Home Premium by financial year (DOMAIN.md §5.1): what one
bed in an aligned home earns over the months of the year it is paid. DOMAIN.md gives no
rate for 2026/27, so none is held for it.

Knowingly missing: the wording of each requirement (these are DOMAIN.md's summaries of
the key requirements, not the specification text).
"""

import datetime

D = datetime.date
MERGED_2024 = D(2024, 3, 31)  # the last day before the 2024/25 merge
MERGED_SOURCE = "S21, S125, S126, S127"
FUNCTIONS_START = D(2024, 4, 1)
FUNCTIONS_FATE = (
    "The previous eight specifications rolled into four key functions from 2024/25; "
    "Enhanced Access stays separate."
)
CHP_SOURCE = "DOMAIN.md §5.1: S53, S111, S34, S87, S82"


def _requirements(prefix, source, *items):
    """Requirement rows from (text, valid_from or None) pairs, coded PREFIX-1, PREFIX-2 …"""
    return [
        {"code": f"{prefix}-{n}", "text": text, "valid_from": start, "valid_until": None,
         "source": source}
        for n, (text, start) in enumerate(items, start=1)
    ]  # fmt: skip


SPECIFICATIONS = [
    {
        "code": "structured-medication-reviews",
        "name": "Structured Medication Reviews and Medicines Optimisation",
        "start_date": D(2020, 4, 1),
        "end_date": MERGED_2024,
        "fate": "Folded into the single set of functions in 2024/25.",
        "source": "S106, S107, S108; " + MERGED_SOURCE,
        "requirements": _requirements(
            "SMR",
            "S106, S107, S108",
            ("Name a clinical lead.", None),
            (
                "Use tools to identify and prioritise patients: care home residents; complex "
                "or problematic polypharmacy, especially 10 or more medicines; medicines "
                "linked to errors; severe frailty.",
                D(2020, 10, 1),
            ),
            (
                "Also prioritise anyone on opioids, gabapentinoids, benzodiazepines or Z-drugs.",
                D(2021, 4, 1),
            ),
            ("Offer SMRs with invitations that explain them.", D(2020, 10, 1)),
            (
                "SMRs only by appropriately trained prescribers with advanced assessment skills.",
                D(2020, 10, 1),
            ),
            ("Code SMRs in the GP clinical system.", D(2020, 10, 1)),
            (
                "Collaborate on wider medicines optimisation and support the New Medicine Service.",
                D(2020, 10, 1),
            ),
        ),
    },
    {
        "code": "enhanced-health-in-care-homes",
        "name": "Enhanced Health in Care Homes",
        "start_date": D(2020, 4, 1),
        "end_date": MERGED_2024,
        "fate": "Still referenced in the 2023/24 DES (EHCH framework v3, November 2023); "
        "merged into the four functions in 2024/25.",
        "source": "S109, S110, S111, S112; " + MERGED_SOURCE,
        "requirements": _requirements(
            "EHCH",
            "S109, S110, S111, S112",
            ("Agree each CQC-registered care home's alignment to one named network.", None),
            (
                "Name a clinical lead for each home (a GP; a non-GP by exception from "
                "October 2020).",
                None,
            ),
            (
                "A weekly home round or check-in, prioritised by the multidisciplinary team.",
                D(2020, 10, 1),
            ),
            (
                "Within 7 working days of (re)admission, a personalised holistic assessment "
                "and personalised care and support plan.",
                D(2020, 10, 1),
            ),
            ("Work as a multidisciplinary team with community services.", D(2020, 10, 1)),
            ("Protocols for information sharing and shared care records.", D(2020, 10, 1)),
            ("Prioritise residents for structured medication reviews.", D(2020, 10, 1)),
        ),
    },
    {
        "code": "early-cancer-diagnosis",
        "name": "Supporting Early Cancer Diagnosis",
        "start_date": D(2020, 4, 1),
        "end_date": MERGED_2024,
        "fate": 'Merged in 2024/25; CRUK places the 2025/26 content under "Improving health '
        'outcomes and reducing health inequalities".',
        "source": "S113, S114, S115; " + MERGED_SOURCE,
        "requirements": _requirements(
            "ECD",
            "S113, S114, S115",
            (
                "Review referral practice against NICE NG12, using decision-support tools, "
                "practice data and the Rapid Diagnostic Centre pathway.",
                D(2020, 10, 1),
            ),
            ("Consistent safety-netting of urgent referrals.", D(2020, 10, 1)),
            ("Information for patients who are referred.", D(2020, 10, 1)),
            ("Improve uptake of cancer screening.", D(2020, 10, 1)),
            ("Work with the Cancer Alliance and its community of practice.", D(2020, 10, 1)),
            ("Use FIT in lower-GI urgent referrals.", None),
            ("Actions for colorectal and lung cancer and one local cancer.", D(2023, 4, 1)),
        ),
    },
    {
        "code": "cvd-prevention-and-diagnosis",
        "name": "Cardiovascular Disease Prevention and Diagnosis",
        "start_date": D(2021, 10, 1),
        "end_date": MERGED_2024,
        "fate": '"Business as usual" in 2023/24; merged in 2024/25.',
        "source": "S116, S117, S118; " + MERGED_SOURCE,
        "requirements": _requirements(
            "CVD",
            "S116, S117, S118",
            (
                "Hypertension case-finding: follow up patients with blood pressure of 140/90 "
                "or more in the practice, or 135/85 or more in the community.",
                D(2021, 10, 1),
            ),
            (
                "Improve blood-pressure check coverage (opportunistic, outreach, community "
                "pharmacy).",
                D(2021, 10, 1),
            ),
            ("Detection of atrial fibrillation, lipids and FH, and heart failure.", None),
        ),
    },
    {
        "code": "tackling-neighbourhood-health-inequalities",
        "name": "Tackling Neighbourhood Health Inequalities",
        "start_date": D(2021, 10, 1),
        "end_date": MERGED_2024,
        "fate": "Merged in 2024/25 (Core20PLUS5 framing).",
        "source": "S117, S119, S120; " + MERGED_SOURCE,
        "requirements": _requirements(
            "TNHI",
            "S117, S119, S120",
            ("Nominate a health inequalities lead.", D(2021, 10, 1)),
            (
                "Use data and engagement to identify a population experiencing inequality.",
                D(2021, 10, 1),
            ),
            ("Co-design, deliver and measure an intervention plan.", None),
        ),
    },
    {
        "code": "personalised-care",
        "name": "Personalised Care",
        "start_date": D(2021, 4, 1),
        "end_date": MERGED_2024,
        "fate": "Drafted for 2020/21 and deferred; phased in from 2021/22; merged in 2024/25.",
        "source": "S121, S122, S123; " + MERGED_SOURCE,
        "requirements": _requirements(
            "PC",
            "S121, S122, S123",
            (
                "Shared decision making, personalised care and support planning, and social "
                "prescribing.",
                D(2021, 4, 1),
            ),
            (
                "By 30 September 2022 agree a targeted social prescribing programme for a "
                "cohort with unmet need, starting 1 October 2022.",
                D(2022, 4, 1),
            ),
            ("Shared decision making training and audit.", D(2022, 4, 1)),
            (
                "Digitally enabled personalised care and support plans for care home "
                "residents by 31 March 2024.",
                D(2022, 4, 1),
            ),
        ),
    },
    {
        "code": "anticipatory-care",
        "name": "Anticipatory Care",
        "start_date": D(2023, 4, 1),
        "end_date": MERGED_2024,
        "fate": "Drafted for 2020/21 and deferred three times; ICS-led from 2023/24; renamed "
        'proactive care and replaced by "proactive care for frailty" in the 2024/25 '
        "functions.",
        "source": "S123, S124, S61, S110",
        "requirements": _requirements(
            "AC",
            "S123, S124",
            ("Agree an anticipatory care plan with the ICS by December 2022.", None),
            ("Take part in the ICS-led service.", D(2023, 4, 1)),
        ),
    },
    {
        "code": "extended-hours-access",
        "name": "Extended Hours Access",
        "start_date": D(2019, 7, 1),
        "end_date": D(2022, 9, 30),
        "fate": "Replaced by Enhanced Access on 1 October 2022.",
        "source": "S129, S163",
        "kind": "access",
        "requirements": _requirements(
            "EH",
            "S129, S163",
            (
                "30 minutes of appointments per 1,000 registered patients a week outside core "
                "hours, in continuous blocks of at least 30 minutes.",
                None,
            ),
            ("Re-provide capacity lost to bank holidays.", None),
        ),
    },
    {
        "code": "enhanced-access",
        "name": "Enhanced Access",
        "start_date": D(2022, 10, 1),
        "end_date": None,
        "fate": "Continues separately from the 2024/25 functions.",
        "source": "S34, S130, S162",
        "kind": "access",
        "requirements": _requirements(
            "EA",
            "S34, S130, S162",
            (
                "Network Standard Hours: 18:30–20:00 Monday to Friday and 09:00–17:00 Saturday.",
                None,
            ),
            (
                "At least 60 minutes of appointments per 1,000 adjusted population a week.",
                None,
            ),
            ("Bookable at least 2 weeks ahead, and same-day online.", None),
            (
                "Multidisciplinary delivery with GP cover; a mix of face-to-face and remote; "
                "convenient locations.",
                None,
            ),
            (
                "Reminders and easy cancellation; unused same-day slots offered to NHS 111.",
                None,
            ),
            ("Data-sharing arrangements in place.", None),
            (
                "An Enhanced Access plan agreed with the commissioner, including patient "
                "engagement, staffing and sites.",
                None,
            ),
        ),
    },
    {
        "code": "function-shared-resources",
        "name": "Coordinating shared resources for resilience and care delivery",
        "start_date": FUNCTIONS_START,
        "end_date": None,
        "fate": FUNCTIONS_FATE,
        "source": MERGED_SOURCE,
        "kind": "function",
        "requirements": _requirements(
            "KF1",
            MERGED_SOURCE,
            (
                "Coordinate and deploy shared resources to support resilience and care "
                "delivery at network and practice level.",
                None,
            ),
        ),
    },
    {
        "code": "function-integrated-neighbourhood-team",
        "name": "Collaborating in an Integrated Neighbourhood Team",
        "start_date": FUNCTIONS_START,
        "end_date": None,
        "fate": FUNCTIONS_FATE,
        "source": MERGED_SOURCE + "; S61",
        "kind": "function",
        "requirements": [
            *_requirements(
                "KF2",
                MERGED_SOURCE,
                (
                    "Collaborate with non-GP providers as part of an Integrated Neighbourhood "
                    "Team.",
                    None,
                ),
            ),
            {
                "code": "KF2-2",
                "text": "Take part in the Integrated Neighbourhood Team.",
                "valid_from": None,
                "valid_until": None,
                "source": "S61, S126",
            },
        ],
    },
    {
        "code": "function-health-outcomes-and-inequalities",
        "name": "Improving health outcomes and reducing health inequalities",
        "start_date": FUNCTIONS_START,
        "end_date": None,
        "fate": FUNCTIONS_FATE,
        "source": MERGED_SOURCE + "; S61",
        "kind": "function",
        "requirements": [
            *_requirements(
                "KF3",
                MERGED_SOURCE,
                (
                    "Improve health outcomes through population health management and "
                    "reducing inequalities: cardiovascular disease, cancer and Core20PLUS5.",
                    None,
                ),
            ),
            {
                "code": "KF3-2",
                "text": "Population health management data-sharing with the ICB.",
                "valid_from": None,
                "valid_until": None,
                "source": "S61, S126",
            },
        ],
    },
    {
        "code": "function-targeting-resource",
        "name": "Targeting resource effectively, including proactive care",
        "start_date": FUNCTIONS_START,
        "end_date": None,
        "fate": FUNCTIONS_FATE,
        "source": MERGED_SOURCE + "; S123, S124, S61, S110",
        "kind": "function",
        "requirements": [
            *_requirements(
                "KF4",
                MERGED_SOURCE,
                ("Target resource effectively, including proactive care.", None),
            ),
            {
                "code": "KF4-2",
                "text": "Proactive care for frailty.",
                "valid_from": None,
                "valid_until": None,
                "source": "S123, S124, S61, S110",
            },
        ],
    },
]

CARE_HOME_PREMIUM_RATES = [
    {
        "financial_year": 2020,
        "per_bed_for_year": "60",
        "payable_from": D(2020, 8, 1),
        "note": "£7.50 a bed a month, from 1 August 2020 to 31 March 2021.",
        "source": CHP_SOURCE,
    },
    {
        "financial_year": 2021,
        "per_bed_for_year": "120",
        "payable_from": D(2021, 4, 1),
        "note": "",
        "source": CHP_SOURCE,
    },
    {
        "financial_year": 2022,
        "per_bed_for_year": "120",
        "payable_from": D(2022, 4, 1),
        "note": "",
        "source": CHP_SOURCE,
    },
    {
        "financial_year": 2023,
        "per_bed_for_year": "120",
        "payable_from": D(2023, 4, 1),
        "note": "",
        "source": CHP_SOURCE,
    },
    {
        "financial_year": 2024,
        "per_bed_for_year": "127.20",
        "payable_from": D(2024, 4, 1),
        "note": "£120 a bed a year (£10 a bed a month) until the September 2024 uplift to "
        "£127.20. The sources do not say from which month the uplift applied; the estimate "
        "uses £127.20 for the whole year. Paid only where residents are coded as living in "
        "a care home (SNOMED 160734000, 394923006 or 248171000000108).",
        "source": CHP_SOURCE,
    },
    {
        "financial_year": 2025,
        "per_bed_for_year": "130.253",
        "payable_from": D(2025, 4, 1),
        "note": "",
        "source": CHP_SOURCE,
    },
]
