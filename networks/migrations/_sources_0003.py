"""The public documents the portal's national reference data cites, frozen as migration
0003 loads them.

Each is read from the team's notebook of NHS facts (its source list and the source list of
its ARRS appendix), with the title, issuer, date and link as it gives them: a date or link
it does not give is left blank, never guessed. Where it names a document by a description
rather than a quoted title, the description is the title, for a national admin to correct
in admin. A key that names two documents has a record for each (the second's key ends in
"b"); a copy of the same article elsewhere ("same in …", "also …") is left out.

KEYS maps every key the reference data cites to the records it stands for: several keys
name one document (the same article in both source lists), and a few name two.
"""

# (key, issuer, title, published, link)
SOURCES = [
    # The notebook's own source list.
    ("S2", "NHS England", "Network Contract Directed Enhanced Service: Contract specification "
     "2020/21 – PCN requirements and entitlements", "31 March 2020 (amended 17 September 2020)",
     "https://readkong.com/page/network-contract-directed-enhanced-service-contract-6068294"),
    ("S21", "Pulse", "PCN DES requirements merged", "28 March 2024",
     "https://pulsetoday.co.uk/pulse-pcn/pcn-des-requirements-merged-under-new-contract-"
     "released-today"),
    ("S21b", "Pulse", "PCN funding remains flat", "",
     "https://pulsetoday.co.uk/pulse-pcn/pcn-funding-remains-flat-for-2024-25"),
    ("S22", "RBP", "Have you joined a PCN", "",
     "https://rbp.co.uk/news/have-you-joined-a-primary-care-network-pcn-yet"),
    ("S34", "Doncaster LMC", "PCN page (2023/24–2024/25 DES extracts)", "",
     "https://www.doncasterlmc.co.uk/primary-care-networks"),
    ("S49", "Healthcare Leader", "Structured medication review tips", "",
     "https://healthcareleadernews.com/pulse-intelligence/how-to-deliver-the-structured-"
     "medication-reviews-and-medicines-optimisation-service"),
    ("S53", "BMA", "Primary care network funding", "November 2020 and May 2021 versions",
     "https://www.bma.org.uk/advice-and-support/gp-practices/primary-care-networks/primary-"
     "care-network-funding"),
    ("S57", "Integrated Health", "£43m leadership", "",
     "https://www.integratedhlth.co.uk/2021/08/26/new-43m-funding-for-primary-care-"
     "leadership/"),
    ("S61", "Primary Care IT", "Summary of the Network Contract DES 2024/25", "",
     "https://support.primarycareit.co.uk/portal/en-gb/kb/articles/network-contract-des-con"),
    ("S64", "NHS England", "Briefing on Clinical Pharmacists and the Network Contract DES", "",
     "https://www.england.nhs.uk/gp/investment/gp-contract/briefing-on-clinical-pharmacists-"
     "and-the-network-contract-des/"),
    ("S65", "Management in Practice", "ARRS explainer", "2019",
     "https://managementinpractice.com/news/explainer-primary-care-networks-and-the-"
     "additional-roles-reimbursement-scheme"),
    ("S67", "Pulse", "100% funding … further roles added", "February 2020",
     "https://www.pulsetoday.co.uk/news/uncategorised/pcns-to-get-100-funding-for-all-extra-"
     "clinical-staff-as-further-roles-are-added/"),
    ("S68", "Doncaster LMC", "ARRS page", "",
     "https://www.doncasterlmc.co.uk/additional-roles-reimbursement-scheme-arrs"),
    ("S69", "Wessex LMCs", "PCN Workforce – ARRS", "",
     "https://www.wessexlmcs.com/pcnworkforcearrs"),
    ("S70", "Pulse Intelligence", "The Additional Roles Reimbursement Scheme for 2021/22 "
     "explained", "",
     "https://pulse-intelligence.co.uk/guide/the-additional-roles-reimbursement-scheme-for-"
     "2021-22-explained/"),
    ("S70b", "Pulse Intelligence", "Planning your workforce 2021/22", "",
     "https://pulse-intelligence.co.uk/guide/planning-your-workforce-needs-with-the-arrs-for-"
     "2021-22/"),
    ("S71", "Ockham Healthcare", "The 2021/22 GP contract", "",
     "https://ockham.healthcare/the-2021-22-gp-contract"),
    ("S73", "GM Primary Care Careers", "Mental health practitioner", "",
     "https://gmprimarycarecareers.org.uk/generalpractice/new-roles/mental-health-"
     "practitioner/"),
    ("S74", "Management in Practice", "PCNs to share costs of mental health workers", "22 January 2021",
     "https://managementinpractice.com/news/pcns-to-share-costs-of-mental-health-workers-with-"
     "community-trusts/"),
    ("S77", "Management in Practice", "ARRS hits 37,000", "",
     "https://managementinpractice.com/news/arrs-hits-a-high-of-37000-staff-nhs-confirms"),
    ("S78", "NHS England", "ICB letter on the mid-year 2024/25 updates", "",
     "https://www.england.nhs.uk/long-read/financial-implications-and-actions-for-integrated-"
     "care-boards-icbs-following-the-mid-year-updates-to-the-2024-25-gp-contract/"),
    ("S80", "Ockham Healthcare", "ARRS for GPs", "",
     "https://ockham.healthcare/the-details-of-the-additional-role-reimbursement-scheme-for-"
     "gps"),
    ("S83", "Nursing in Practice", "What nursing roles are now included in the ARRS", "",
     "https://nursinginpractice.com/latest-news/what-nursing-roles-are-now-included-in-the-"
     "arrs"),
    ("S92", "Pulse", "Unclaimed ARRS funding will not be available", "",
     "https://pulsetoday.co.uk/pulse-pcn/unclaimed-arrs-funding-will-not-be-available-to-"
     "pcns-according-to-new-contract"),
    ("S93", "BOB Primary Care Careers", "ARRS", "December 2021",
     "https://primarycarecareers-bob.nhs.uk/arrs/"),
    ("S106", "Pulse Intelligence", "Structured medication reviews draft specification", "",
     "https://pulse-intelligence.co.uk/?p=3596"),
    ("S108", "NHS England", "Network Contract DES structured medication review guidance",
     "31 March 2021",
     "https://www.readkong.com/page/network-contract-directed-enhanced-service-structured-"
     "6561213"),
    ("S108b", "NHS England", "Structured medication reviews", "",
     "https://www.england.nhs.uk/primary-care/pharmacy/smr/"),
    ("S109", "NHS England", "Enhanced Health in Care Homes", "",
     "https://www.england.nhs.uk/community-health-services/ehch/"),
    ("S110", "NHS England", "Enhanced Health in Care Homes framework, version 3",
     "November 2023",
     "https://www.england.nhs.uk/long-read/providing-proactive-care-for-people-living-in-care-"
     "homes-enhanced-health-in-care-homes-framework/"),
    ("S110b", "NHS England", "Transition note: COVID-19 care home support to Enhanced Health "
     "in Care Homes", "",
     "https://www.england.nhs.uk/gp/investment/gp-contract/transition-between-covid-19-care-"
     "home-support-and-the-enhanced-health-in-care-homes-service-in-the-network-contract-"
     "des/"),
    ("S111", "Pulse Intelligence", "Enhanced Health in Care Homes summary", "",
     "https://pulse-intelligence.co.uk/guide/enhanced-health-in-care-homes-service-a-summary-"
     "of-the-requirements/"),
    ("S112", "Pulse Intelligence", "Enhanced Health in Care Homes draft specification", "",
     "https://pulse-intelligence.co.uk/?p=3595"),
    ("S113", "Pulse Intelligence", "Early cancer diagnosis summary", "",
     "https://pulse-intelligence.co.uk/guide/the-network-early-cancer-diagnosis-service-"
     "explained/"),
    ("S114", "Cancer Research UK", "Delivering the PCN service", "",
     "https://www.cancerresearchuk.org/health-professional/learning-and-support/resources/gp-"
     "contract-guide/delivering-the-pcn-service"),
    ("S115", "Medscape / Guidelines in Practice", "Early cancer diagnosis 2023/24", "",
     "https://www.medscape.co.uk/viewarticle/network-level-action-needed-improve-cancer-"
     "diagnosis-2023a10008ph"),
    ("S116", "Pulse Intelligence", "Cardiovascular disease prevention and diagnosis service", "",
     "https://pulse-intelligence.co.uk/guide/how-to-deliver-the-network-des-cvd-diagnosis-"
     "and-prevention-service/"),
    ("S119", "Hounslow Health and Care", "Tackling neighbourhood health inequalities", "",
     "https://hounslowhealthandcare.org/bbp-projects-and-workstreams/projects-and-"
     "workstreams/prevention-and-health-inequalities/pcn-tackling-inequalities"),
    ("S120", "Cancer Research UK", "Tackling neighbourhood health inequalities", "",
     "https://www.cancerresearchuk.org/health-professional/learning-and-support/resources/gp-"
     "contract-guide/deliver-the-primary-care-network-pcn-service-specification-on-tackling-"
     "neighbourhood-health"),
    ("S120b", "Integrated Health", "Guidance on tackling neighbourhood health inequalities", "",
     "https://www.integratedhlth.co.uk/2022/02/18/nhse-publishes-new-guidance-on-tackling-"
     "neighbourhood-health-inequality/"),
    ("S121", "Pulse Intelligence", "Personalised care: draft specification", "",
     "https://pulse-intelligence.co.uk/guide/summary-of-draft-pcn-specification-personalised-"
     "care/"),
    ("S122", "Pulse", "PCNs given six months … social prescribing", "",
     "https://www.pulsetoday.co.uk/pulse-pcn/pcns-given-six-months-to-deliver-targeted-"
     "social-prescribing-programme/"),
    ("S123", "Pulse", "NHSE pushes deadlines for PCN service specs", "",
     "https://pulsetoday.co.uk/pulse-pcn/nhse-pushes-deadlines-for-pcn-service-specs-by-up-"
     "to-12-months"),
    ("S124", "HSJ", "Two services face axe", "",
     "https://www.hsj.co.uk/policy-and-regulation/two-services-face-axe-from-embattled-gp-"
     "contract/7026697.article"),
    ("S125", "West Midlands Digital Hub", "The four key functions", "",
     "https://westmidsdigitalhub.nhs.uk/pcn-six-core-neighbourhood-components"),
    ("S126", "Primary Care IT", "Network Contract DES guidance 2024/25, part A", "",
     "https://support.primarycareit.co.uk/portal/en-gb/kb/articles/network-contract-directed-"
     "enhanced-service-guidance-for-2024-25-in-england-part-a-clinical-and-support-services-"
     "section-8"),
    ("S127", "Pulse", "PCNs should use a population health management approach", "",
     "https://pulsetoday.co.uk/pulse-pcn/pcns-should-use-a-population-health-management-"
     "approach-to-service-delivery"),
    ("S129", "Pulse Intelligence", "How to run Extended Hours under networks", "",
     "https://pulse-intelligence.co.uk/guide/getting-the-most-out-of-the-extended-hours-des-"
     "under-networks/"),
    ("S130", "GPonline", "Contract update reveals detail of £7.46 enhanced access", "",
     "https://www.gponline.com/contract-update-reveals-detail-746-per-patient-enhanced-gp-"
     "access-plans/article/1751577"),
    ("S130b", "GPonline", "Changes to the GP contract 2022/23", "",
     "https://www.gponline.com/changing-gp-contract-2022-23/article/1748349"),
    ("S143", "NHS Digital (GitHub NHSDigital/ncdes)", "Network Contract DES indicator "
     "dictionary (public_meta_data/indicator dictionary.csv)", "", ""),
    ("S162", "Doncaster LMC", "Enhanced Access", "",
     "https://www.doncasterlmc.co.uk/enhanced-access"),
    ("S163", "1library (copy)", "Extended hours enhanced service 2015/16 requirements", "",
     "https://1library.co/article/materiales-especificaciones-t%C3%A9cnicas-y-"
     "normatividad.y96p02ov"),
    # The ARRS appendix's source list.
    ("A.S1", "Pharmaceutical Journal", "NHS England says PCNs can hire pharmacy technicians "
     "earlier than planned", "February 2020",
     "https://pharmaceutical-journal.com/article/news/nhs-england-says-pcns-can-hire-pharmacy-"
     "technicians-earlier-than-planned"),
    ("A.S2", "Pharmaceutical Journal", "Primary care networks to be fully reimbursed for "
     "pharmacists under updated GP contract", "",
     "https://pharmaceutical-journal.com/article/news/primary-care-networks-to-be-fully-"
     "reimbursed-for-pharmacists-under-updated-gp-contract"),
    ("A.S3", "Chemist+Druggist", "Not all PCN pharmacists fully funded by NHS, PDA claims",
     "February 2020",
     "http://uat-chemistanddruggist.aws.ubm-net.com/news/Not-all-pcn-pharmacists-fully-funded-"
     "by-nhs-pda-claims"),
    ("A.S4", "Chemist+Druggist", "Pharmacy technician roles in PCNs to be fully reimbursed "
     "from April", "",
     "https://www.chemistanddruggist.co.uk/news/pharmacy-technician-roles-pcns-fully-"
     "reimbursed-april"),
    ("A.S5", "The Pharmacist", "Pharmacy technicians included in primary care network "
     "staffing scheme", "11 February 2020",
     "https://www.thepharmacist.co.uk/news/pharmacy-technicians-included-in-primary-care-"
     "network-staffing-scheme/"),
    ("A.S6", "GM Primary Care Careers", "Clinical Pharmacist", "",
     "https://gmprimarycarecareers.org.uk/generalpractice/new-roles/clinical-pharmacist/"),
    ("A.S7", "GM Primary Care Careers", "First Contact Physiotherapist", "",
     "https://gmprimarycarecareers.org.uk/generalpractice/new-roles/first-contact-"
     "physiotherapist/"),
    ("A.S8", "GM Primary Care Careers", "Care Co-ordinator", "",
     "https://gmprimarycarecareers.org.uk/generalpractice/new-roles/care-co-ordinator/"),
    ("A.S9", "GM Primary Care Careers", "Podiatrist", "",
     "https://gmprimarycarecareers.org.uk/generalpractice/new-roles/podiatrist/"),
    ("A.S10", "GM Training Hub", "Social Prescriber", "",
     "https://gmthub.co.uk/primary-care-directory/roles-in-primary-care/social-prescriber"),
    ("A.S11", "BMA", "Primary care network funding (Annual reimbursement rates 2021/22)",
     "10 May 2021",
     "https://www.bma.org.uk/advice-and-support/gp-practices/primary-care-networks/primary-"
     "care-network-funding"),
    ("A.S12", "Chemist+Druggist", "'Unfair advantage': PCNs see increase in reimbursable pay "
     "for pharmacists", "October 2022",
     "https://www.chemistanddruggist.co.uk/CD136485/Unfair-advantage-PCNs-see-increase-in-"
     "reimbursable-pay-for-pharmacists"),
    ("A.S13", "Management in Practice", "How social prescribing link workers can support your "
     "practice team", "17 February 2023",
     "https://managementinpractice.com/practice-intelligence/how-social-prescribing-link-"
     "workers-can-support-your-practice-team"),
    ("A.S14", "The Pharmacist", "No new funding for ARRS pay increases", "July 2023",
     "https://www.thepharmacist.co.uk/news/no-new-funding-for-arrs-pay-increases/"),
    ("A.S15", "NENC Primary Care Roles", "Social Prescribing Link Worker", "",
     "https://nenc-primarycareroles.org.uk/new-roles-overview/social-prescribing-link-"
     "worker/"),
    ("A.S16", "Nursing in Practice", "Salary and responsibilities of ARRS enhanced practice "
     "nurses revealed", "April 2024",
     "https://www.nursinginpractice.com/latest-news/salary-and-responsibilities-of-arrs-"
     "enhanced-practice-nurses-revealed/"),
    ("A.S17", "The Pharmacist", "PCNs can claim more per ARRS role but no overall funding "
     "increase", "September 2024",
     "https://thepharmacist.co.uk/in-practice/pcns-can-claim-more-per-arrs-role-but-no-"
     "overall-funding-increase"),
    ("A.S18", "NENC Primary Care Roles", "Advanced Clinical Practitioner", "",
     "https://nenc-primarycareroles.org.uk/new-roles-overview/advanced-clinical-"
     "practitioner"),
    ("A.S19", "Pulse PCN", "PCNs can claim more for ARRS staff but funding remains flat",
     "September 2024",
     "https://pulsetoday.co.uk/pulse-pcn/pcns-can-claim-more-for-arrs-staff-but-funding-"
     "remains-flat"),
    ("A.S20", "Pulse PCN", "ARRS increases in line with Agenda for Change, NHS England "
     "confirms", "October 2024",
     "https://pulsetoday.co.uk/pulse-pcn/arrs-increases-in-line-with-agenda-for-change-nhs-"
     "england-confirms"),
    ("A.S21", "ICB slide pack", "GP ARRS Role: Funding and Reimbursement", "October 2024",
     "https://docs.google.com/presentation/d/1Y-_l-Rz13C_1q5edWhD6LnllWNPrugTn/htmlpresent"),
    ("A.S22", "The Pharmacist", "New ARRS pharmacist funding confirmed by NHS England",
     "April 2025",
     "https://thepharmacist.co.uk/in-practice/new-arrs-pharmacist-funding-confirmed-by-nhs-"
     "england"),
    ("A.S23", "Pharmaceutical Journal", "NHS England increases ARRS reimbursement for "
     "pharmacists", "April 2025",
     "https://pharmaceutical-journal.com/article/news/nhs-england-increases-arrs-"
     "reimbursement-for-pharmacists"),
    ("A.S24", "Pulse PCN", "Consultant nurses added to ARRS in new network contract",
     "March 2025",
     "https://pulsetoday.co.uk/pulse-pcn/consultant-nurses-added-to-arrs-in-new-network-"
     "contract"),
    ("A.S25", "Humberside LMC", "Guidance – Network Contract DES 2025/26", "",
     "https://humbersidelmc.org.uk/network-contract-des-202526/"),
    ("A.S26", "Pulse", "New contract removes ARRS GP funding ringfence and increases "
     "salaries", "2025",
     "https://pulsetoday.co.uk/news/2025-26-contract/new-contract-removes-arrs-gp-funding-"
     "ringfence-and-increases-salaries"),
    ("A.S27", "UCR TECH (public GitHub code, unverified)", "package models / var Roles "
     "[]PositionReimbursement", "27 May 2025", ""),
    ("A.S28", "NHS North East London ICB", "Notification: ARRS Maximum Reimbursement Rates "
     "Updated & Backdated", "",
     "https://primarycare.northeastlondon.icb.nhs.uk/comms-news/notification-arrs-maximum-"
     "reimbursement-rates-updated-backdated-action-required-by-icbs-and-pcns"),
    ("A.S29", "The Pharmacist", "ARRS pharmacists entitled to 3.6% pay rise for 2025/26",
     "May 2025",
     "https://www.thepharmacist.co.uk/in-practice/arrs-pharmacists-entitled-to-3-6-pay-rise-"
     "for-2025-26"),
    ("A.S31", "Surrey & Sussex LMCs", "PCN ARRS 2026/27", "",
     "https://www.sslmcs.co.uk/resources/gp-contract-2026-27/pcn-arrs-2026-27"),
    ("A.S32", "Healthcare Leader", "Funding and ARRS boost in new GP contract",
     "February 2026",
     "https://healthcareleadernews.com/news/funding-and-arrs-boost-in-new-gp-contract/"),
    ("A.S36", "NHS North East London ICB", "PCN – ARRS update (2023/24)", "",
     "https://primarycare.northeastlondon.icb.nhs.uk/news/pcn-arrs-update"),
    ("A.S37", "Management in Practice", "What are the funding implications of the new "
     "network DES?", "4 April 2022",
     "https://managementinpractice.com/practice-intelligence/finance/what-are-the-funding-"
     "implications-of-the-new-network-des/"),
    ("A.S39", "NHS England", "Investment and Evolution: Update to the GP contract agreement "
     "2020/21–2023/24", "February 2020",
     "https://www.england.nhs.uk/wp-content/uploads/2020/03/update-to-the-gp-contract-"
     "agreement-v2-updated.pdf"),
    ("A.S40", "NCL Training Hub", "Mental health practitioner", "",
     "https://www.ncltraininghub.org/roles/mental-health-practitioner"),
    ("A.S41", "NHS England", "Mental health practitioners", "",
     "https://www.england.nhs.uk/mental-health/working-in-mental-health/mental-health-"
     "practitioners/"),
    ("A.S42", "NCL Training Hub", "ARRS page", "",
     "https://www.ncltraininghub.org/training-and-support/additional-reimbursement-scheme"),
    ("A.S43", "Management in Practice", "Advanced nurse practitioners and apprentice physician "
     "associates added to ARRS", "8 March 2023",
     "https://managementinpractice.com/news/advanced-nurse-practitioners-and-apprentice-"
     "physician-associates-added-to-arrs/"),
    ("A.S43b", "Skills for Health HASO", "Physician associate FAQ", "",
     "https://haso.skillsforhealth.org.uk/news/physician-associate-faq-updated-2/"),
    ("A.S44", "Pulse PCN", "Explainer: The new ARRS additions", "Autumn 2022",
     "https://www.pulsetoday.co.uk/analysis/pulse-pcn/explainer-the-new-arrs-additions/"),
    ("A.S45", "Arjus", "PCN Calculator 24/25", "",
     "https://arjus.co.uk/pcn_calculator_2425.php"),
    ("A.S46", "Pulse", "Only 'enhanced' nurses to be included in ARRS under new contract",
     "29 February 2024",
     "https://www.pulsetoday.co.uk/news/2024-25-gp-contract/only-enhanced-nurses-to-be-"
     "included-in-arrs-under-new-contract/"),
    ("A.S51", "Pharmacy Magazine", "More money for GPs as 2021/22 contract details revealed",
     "", "https://www.pharmacymagazine.co.uk/news/more-money-for-gps-as-202122"),
    ("A.S56", "Nursing in Practice", "Funding for ARRS general practice nurse roles outlined",
     "2025",
     "https://nursinginpractice.com/latest-news/funding-for-arrs-general-practice-nurse-roles-"
     "outlined"),
    ("A.S57", "THC Primary Care", "What Factors Influence My Salary? A Guide for Primary Care "
     "Network Staff", "",
     "https://thcprimarycare.co.uk/post/what-factors-influence-my-salary-a-guide-for-primary-"
     "care-network-staff"),
    # What the claim declaration rests on (the notebook's section on it).
    ("NECS-claim", "NECS Primary Care Workforce Portal", "Submit ARRS Claim", "", ""),
]  # fmt: skip

# Each key the reference data cites → the records above it stands for. A key not listed
# stands for the record of the same key.
KEYS = {
    "S21": ["S21", "S21b"],
    "S66": ["S49"],  # the notebook points this key at S49
    "S70": ["S70", "S70b"],
    "S72": ["A.S42"],  # the same NCL Training Hub page
    "S75": ["A.S44"],  # the same Pulse explainer
    "S76": ["A.S43"],  # the same Management in Practice article
    "S79": ["A.S21"],  # the same ICB slide pack
    "S80": ["S80", "A.S19"],
    "S81": ["A.S25"],  # the same Humberside LMC guidance
    "S82": ["A.S24"],  # the same Pulse article
    "S85": ["S22"],  # the notebook points this key at S22
    "S87": ["A.S17"],  # the same article in The Pharmacist
    "S104": ["S77"],
    "S107": ["S49"],
    "S108": ["S108", "S108b"],
    "S110": ["S110", "S110b"],
    "S117": ["S57"],
    "S118": ["S143"],
    "S120": ["S120", "S120b"],
    "S130": ["S130", "S130b"],
    "A.S24": ["A.S24", "S83"],
    "A.S38": ["S70", "S71"],  # the same two guides
    "A.S40": ["S73", "A.S40", "S74"],
    "A.S43": ["A.S43", "A.S43b"],
    "A.S52": ["S68"],
    "A.S53": ["S64"],
}
