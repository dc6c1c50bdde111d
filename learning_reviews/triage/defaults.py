"""Appendix 1 of the protocol, "Overview of Types of Case Reviews", as the default register of
review types. Contacts are role or team mailboxes: never a named person."""

from learning_reviews.triage.models import AgencyScope, Kind

APPENDIX_1: tuple[dict[str, object], ...] = (
    {
        "kind": Kind.SIGNIFICANT_CASE_REVIEW,
        "name": "Significant Case Review",
        "criteria": [
            "Multi-agency",
            "Commissioned by CPC",
            "Child death/serious incident",
            "Criteria as per SCR protocol",
        ],
        "agency_scope": AgencyScope.MULTI,
        "commissioned_by": "CPC (Child Protection Committee)",
        "guidance_title": "SCR protocol",
        "contact": "Child Protection Committee lead officer (cpc.lead@council.example)",
    },
    {
        "kind": Kind.LAC_LEARNING_REVIEW,
        "name": "LAC learning review",
        "criteria": ["Multi-agency", "Commissioned by HOLAC", "Criteria as per LAC LR protocol"],
        "agency_scope": AgencyScope.MULTI,
        "commissioned_by": "HOLAC",
        "guidance_title": "Looked After Children Learning Review protocol",
        "contact": "Looked after children's service (lac.reviews@council.example)",
    },
    {
        "kind": Kind.CPR_CASE_REVIEW,
        "name": "CPR case review",
        "criteria": [
            "Multi-agency",
            "Commissioned by MACIG",
            "Children on CPR > 18 months",
            "Children re-registered within 12 months of de-registration",
        ],
        "agency_scope": AgencyScope.MULTI,
        "commissioned_by": "MACIG",
        "guidance_title": "MACIG CPR Case Review guidance",
        "contact": "MACIG co-ordinator (macig@council.example)",
    },
    {
        "kind": Kind.DISRUPTION_REVIEW,
        "name": "Disruption reviews",
        "criteria": [
            "Multi-agency",
            "Commissioned by Adoption and Fostering Service",
            "Undertaken by Independent Co-ordinator",
            "Criteria - multiple placement breakdown",
        ],
        "agency_scope": AgencyScope.MULTI,
        "commissioned_by": "Adoption and Fostering Service",
        "undertaken_by": "Independent Co-ordinator",
        "guidance_title": "Procedure in Relation to Disruption Process (Adoption/Permanent "
        "Fostering Placements)",
        "contact": "Adoption and Fostering Service (adoption.fostering@council.example)",
    },
    {
        "kind": Kind.STRUCTURED_DEBRIEF,
        "name": "Structured Debrief",
        "criteria": [
            "Single agency (Children's Service)",
            "Criteria - Wider range of concern. Initial Discussion with Lead Officer "
            "determines if this option is appropriate for a Debrief",
        ],
        "agency_scope": AgencyScope.SINGLE,
        "commissioned_by": "",
        "guidance_title": "",
        "contact": "Structured debrief lead officer (debrief.lead@council.example)",
    },
    {
        "kind": Kind.LEARNING_REVIEW,
        "name": "(Social Work) Learning review",
        "criteria": [
            "Single agency (Children and Families)",
            "Commissioned by CFCIG",
            "Criteria as per this protocol",
        ],
        "agency_scope": AgencyScope.SINGLE,
        "commissioned_by": "CFCIG",
        "guidance_title": "Learning Review Protocol",
        "contact": "CFCIG co-ordinator (cfcig@council.example)",
    },
)
