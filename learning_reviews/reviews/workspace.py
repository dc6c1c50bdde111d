"""The vocabulary of the lead reviewer's work (protocol §5, Appendix 4, the "anatomy" of a
Learning Review discussion, SCIE Learning Together), in the protocol's own words."""

from dataclasses import dataclass

from django.db import models


@dataclass(frozen=True)
class PromptSection:
    key: str
    number: str
    title: str
    prompts: tuple[str, ...]
    follow_ups: tuple[str, ...] = ()


# Appendix 4: Learning Review Discussion Prompts.
APPENDIX_4: tuple[PromptSection, ...] = (
    PromptSection(
        "introductions",
        "1",
        "Introductions",
        (
            "Can you tell me who you are, what your current job is and what your role was in the "
            "period under review?",
        ),
    ),
    PromptSection(
        "overview",
        "2",
        "Overview",
        (
            "Can you give me a brief description of what happened in this case and the part you "
            "played?",
        ),
    ),
    PromptSection(
        "key_practice_episodes",
        "3a",
        "Key Practice Episodes",
        (
            "Were there any period that were particularly critical in the way the case developed "
            "or was handled?",
            "What do you think were crucial moments in the period of time under review, when key "
            "decisions or actions were taken that you think determined the direction the case took "
            "or the way the case was handled?",
            "From what you have said, it sounds like X, Y and Z were key episodes?",
            "From the way you have told the story and your part in it, it seems to break down in "
            "this way?",
            "If we look at it chronologically, it sounds like X was a critical time/aspect to look "
            "at in more detail?",
        ),
    ),
    PromptSection(
        "local_rationality",
        "3b",
        "'Mindset' and 'local rationality'",
        (
            "Can you tell me a bit more about what was going on at this time?",
            "Can you flesh out for me what was behind your thinking (reasons but also emotions and "
            "actions at this time)?",
            "What information was at the front of your mind? What was most significant to you at "
            "this point? What was catching your attention?",
            "Were there other things occupying you at the time?",
            "What were your main concerns? What were you tossing up at the time? "
            "Did these concerns clash at all? Were there any conflicts? "
            "Were some dismissed, others prioritised?",
            "What were you hoping to achieve?",
            "What options did you think you had to influence the course of events?",
        ),
        (
            "Is this the way you always do it?",
            "Is that usual?",
            "Why is it done in that way?",
            "How do you mean?",
            "Can you explain that a bit more fully please?",
            "In what way?",
        ),
    ),
    PromptSection(
        "contributory_factors",
        "3c",
        "Contributory factors",
        (
            "We want to look at what influenced the sense you made of things and what you did. You "
            "mentioned earlier that X, Y, Z. Do you want to say anything more about that?",
            "If you look at this list of potential factors, were any of them important? When and "
            "why?",
        ),
    ),
    PromptSection(
        "went_well",
        "4",
        "Things that went well",
        (
            "What things relating to the case went well?",
            "What do you think you or others did that was helpful/useful? And what factors "
            "supported/enabled it?",
        ),
    ),
    PromptSection(
        "queries",
        "5",
        "Queries/clarifying questions from the overview perspective",
        ("We've been told X, Y, Z, is that something you were aware of?",),
    ),
    PromptSection(
        "suggested_changes",
        "6",
        "Suggested changes",
        (
            "Off the top of your head, having thought back on this case and your role, are there "
            "any small, practical changes that you can think of which would help in similar "
            "situations/issues in the future?",
        ),
    ),
    PromptSection(
        "summing_up",
        "7",
        "Summing up",
        (
            "To recap....., do you feel this accurately captures what you've told us?",
            "What else would you like to add?",
        ),
    ),
    PromptSection(
        "reflections",
        "8",
        "Reflections",
        (
            "You were given information about this meeting beforehand. "
            "In what ways was it what you expected?",
            "How have found this session?",
            "What comments or questions do you have for us at this point?",
            "How do you feel now, about yourself and your role, after this discussion?",
        ),
    ),
)

SECTION_KEYS = tuple(s.key for s in APPENDIX_4)


class Factor(models.TextChoices):
    """Appendix 4, 3c: the nine categories of contributory factors."""

    FAMILY = "family", "Aspects of the family"
    ROLE = "role", "Aspects of your role"
    CONDITIONS = "conditions", "Conditions of work/work environment"
    PERSONAL = "personal", "Personal aspects"
    OWN_TEAM = "own_team", "Your own team factors"
    INTER_AGENCY = "inter_agency", "Inter-agency/inter-professional team factors"
    CULTURE = "culture", "Organisational culture and management"
    POLITICAL = "political", "Wider political context"
    OTHER = "other", "Other"


class Source(models.TextChoices):
    """The "anatomy": what are we drawing on?"""

    STAFF_EXPERIENCE = "staff_experience", "Staff Experience (Review Team and Case Group)"
    LOCAL_DATA = "local_data", "Local Performance Data (Review Team)"
    NATIONAL_EVIDENCE = "national_evidence", "National Evidence"
    RESEARCH = "research", "Relevant Research"


class Pattern(models.TextChoices):
    """SCIE's typology of underlying patterns, optional on a finding."""

    HUMAN_TOOL = "human_tool", "Human–tool operation"
    HUMAN_MANAGEMENT = "human_management", "Human–management system"
    MULTI_AGENCY_CRISES = (
        "multi_agency_crises",
        ("Multi-agency working in response to incidents and crises"),
    )
    MULTI_AGENCY_LONGER = "multi_agency_longer", "Multi-agency working in longer-term work"
    FAMILY_PROFESSIONAL = "family_professional", "Family–professional interaction"
    HUMAN_REASONING = "human_reasoning", "Human reasoning"


class Reach(models.TextChoices):
    """§5: key issues for this case, and whether the findings matter more widely."""

    THIS_CASE = "this_case", "This case"
    OTHER_TEAMS = "other_teams", "Other teams"
    WHOLE_SERVICE = "whole_service", "The whole service"
