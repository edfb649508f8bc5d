"""factory-boy factories for every model, producing valid rows with valid ODS codes: the
one way tests make records.

A module per app (networks, practices, workforce, services; users for accounts), each
factory re-exported here (`from tests.factories import PracticeFactory`), and the worlds
tests share built from them (tests/factories/worlds.py).

Codes come from ranges that stand apart from real ones and from the codes tests write out
by hand (ICBs QS?–QY?, Sub-ICB locations ZA?–ZW?, networks U95000–U97999, practices
Z70000–Z79999). Names are fictional, in capitals as ODS publishes.
Reference rows made here (roles, amounts, specifications) are test fixtures, not NHS
figures. A factory fills in what a typical row has (an address, an opening date, on-costs);
where a test needs a row with only what it gives, `bare=True` leaves those out.

Records a user makes through a page are made in tests through the actions instead, as the
user would (a persona's scope through networks.actions.assign, a claim through
workforce.actions). The ORM is written directly only where the database itself is tested:
its constraints (tests/site/test_constraints.py, a care home's one network at a time), its
triggers on statements over many rows (tests/workforce/test_arrs_hours.py), and a rule
broken inside an import (tests/practices/test_import_ods.py).
"""

from tests.factories.networks import (
    AssignmentFactory,
    ClinicalDirectorFactory,
    CollaborationFactory,
    CommissionerNoteFactory,
    ImportedExtractFactory,
    IntegratedCareBoardFactory,
    NetworkAgreementFactory,
    NetworkAgreementScheduleFactory,
    NetworkTeamMemberFactory,
    PartnerOrganisationFactory,
    PrimaryCareNetworkFactory,
    RegionFactory,
    SignInIdentityFactory,
    SourceFactory,
    SubICBLocationFactory,
)
from tests.factories.practices import (
    ListSizeFactory,
    MembershipFactory,
    NetworkWeightedPopulationFactory,
    PracticeFactory,
    WeightedPopulationFactory,
)
from tests.factories.services import (
    CareHomeAlignmentFactory,
    CareHomeBedsFactory,
    CareHomeFactory,
    CareHomePremiumRateFactory,
    EvidenceFactory,
    LocalPriorityFactory,
    RequirementFactory,
    RequirementProgressFactory,
    ServiceDeliveryFactory,
    ServiceSpecificationFactory,
)
from tests.factories.users import PASSWORD, UserFactory
from tests.factories.workforce import (
    AllocationRateFactory,
    ARRSAllocationFactory,
    ARRSRoleFactory,
    ClaimFactory,
    ClaimLineFactory,
    MaximumAmountFactory,
    PostFactory,
    PostTermsFactory,
    RingFencedSumFactory,
    RoleCapFactory,
    StaffMemberFactory,
)

# The factory of each model the admin shows (tests/site/test_admin.py makes one of each).
FACTORIES = {
    f._meta.model: f
    for f in [
        WeightedPopulationFactory,
        NetworkWeightedPopulationFactory,
        RegionFactory,
        IntegratedCareBoardFactory,
        SubICBLocationFactory,
        PrimaryCareNetworkFactory,
        NetworkAgreementFactory,
        NetworkAgreementScheduleFactory,
        ClinicalDirectorFactory,
        NetworkTeamMemberFactory,
        PartnerOrganisationFactory,
        CollaborationFactory,
        CommissionerNoteFactory,
        AssignmentFactory,
        SignInIdentityFactory,
        SourceFactory,
        PracticeFactory,
        MembershipFactory,
        ListSizeFactory,
        ARRSRoleFactory,
        MaximumAmountFactory,
        RoleCapFactory,
        AllocationRateFactory,
        RingFencedSumFactory,
        StaffMemberFactory,
        PostFactory,
        PostTermsFactory,
        ARRSAllocationFactory,
        ClaimFactory,
        ClaimLineFactory,
        ServiceSpecificationFactory,
        RequirementFactory,
        ServiceDeliveryFactory,
        RequirementProgressFactory,
        CareHomeFactory,
        CareHomeAlignmentFactory,
        CareHomeBedsFactory,
        CareHomePremiumRateFactory,
        EvidenceFactory,
        LocalPriorityFactory,
        UserFactory,
    ]
}

__all__ = [
    "FACTORIES",
    "PASSWORD",
    "ARRSAllocationFactory",
    "ARRSRoleFactory",
    "AllocationRateFactory",
    "AssignmentFactory",
    "CareHomeAlignmentFactory",
    "CareHomeBedsFactory",
    "CareHomeFactory",
    "CareHomePremiumRateFactory",
    "ClaimFactory",
    "ClaimLineFactory",
    "ClinicalDirectorFactory",
    "CollaborationFactory",
    "CommissionerNoteFactory",
    "EvidenceFactory",
    "ImportedExtractFactory",
    "IntegratedCareBoardFactory",
    "ListSizeFactory",
    "LocalPriorityFactory",
    "MaximumAmountFactory",
    "MembershipFactory",
    "NetworkAgreementFactory",
    "NetworkAgreementScheduleFactory",
    "NetworkTeamMemberFactory",
    "NetworkWeightedPopulationFactory",
    "PartnerOrganisationFactory",
    "PostFactory",
    "PracticeFactory",
    "PrimaryCareNetworkFactory",
    "RegionFactory",
    "RequirementFactory",
    "RequirementProgressFactory",
    "RingFencedSumFactory",
    "RoleCapFactory",
    "ServiceDeliveryFactory",
    "ServiceSpecificationFactory",
    "SignInIdentityFactory",
    "SourceFactory",
    "StaffMemberFactory",
    "SubICBLocationFactory",
    "UserFactory",
    "WeightedPopulationFactory",
]
