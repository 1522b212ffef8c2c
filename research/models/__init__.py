from .conversations import Consent, ConsentMethod, Conversation, ConversationKind
from .directory import Organization, OrganizationKind, Person, PersonKind, Project
from .evidence import (
    Feature,
    FeatureStatus,
    Highlight,
    Insight,
    InsightFeatureLink,
    InsightStatus,
    Stance,
    Weight,
)
from .recordings import (
    JobStatus,
    Recording,
    RecordingStatus,
    Segment,
    Transcript,
    TranscriptionJob,
)
from .tags import TaggedConversation, TaggedHighlight, TaggedInsight, TeamTag
from .teams import Membership, Role, Team

__all__ = [
    "Consent",
    "ConsentMethod",
    "Conversation",
    "ConversationKind",
    "Feature",
    "FeatureStatus",
    "Highlight",
    "Insight",
    "JobStatus",
    "InsightFeatureLink",
    "InsightStatus",
    "Membership",
    "Organization",
    "OrganizationKind",
    "Person",
    "PersonKind",
    "Project",
    "Recording",
    "RecordingStatus",
    "Role",
    "Segment",
    "Stance",
    "TaggedConversation",
    "TaggedHighlight",
    "TaggedInsight",
    "Team",
    "TeamTag",
    "Transcript",
    "TranscriptionJob",
    "Weight",
]
