from .audit import AuditEvent, AuditKind
from .conversations import Consent, ConsentMethod, Conversation, ConversationKind
from .directory import Organization, OrganizationKind, Person, PersonKind, Project
from .features import Feature, FeatureStatus, InsightFeatureLink, Stance, Weight
from .highlights import Highlight
from .insights import Insight, InsightStatus
from .photos import Photo
from .recordings import Recording, RecordingChunk, RecordingStatus
from .tags import TaggedConversation, TaggedHighlight, TaggedInsight, TeamTag
from .teams import Membership, Role, Team
from .transcripts import JobStage, JobStatus, Segment, Transcript, TranscriptionJob

__all__ = [
    "AuditEvent",
    "AuditKind",
    "Consent",
    "ConsentMethod",
    "Conversation",
    "ConversationKind",
    "Feature",
    "FeatureStatus",
    "Highlight",
    "Insight",
    "InsightFeatureLink",
    "InsightStatus",
    "JobStage",
    "JobStatus",
    "Membership",
    "Organization",
    "OrganizationKind",
    "Person",
    "PersonKind",
    "Photo",
    "Project",
    "Recording",
    "RecordingChunk",
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
