from .accounts import RecoveryCode
from .audit import AuditEvent, AuditKind
from .conversations import Consent, ConsentMethod, Conversation, ConversationKind
from .directory import Organization, OrganizationKind, Person, PersonKind, Project
from .features import Feature, FeatureStatus, InsightFeatureLink, Stance, Weight
from .glossary import GlossaryTerm, TermKind
from .highlights import Highlight
from .insights import Insight, InsightStatus
from .photos import Photo
from .privacy import (
    ErasureTombstone,
    Redaction,
    RedactionKind,
    RetentionAction,
    RetentionPolicy,
    RetentionRun,
)
from .recordings import Recording, RecordingChunk, RecordingStatus
from .speakers import Speaker, VoiceProfile
from .tags import TaggedConversation, TaggedHighlight, TaggedInsight, TeamTag
from .teams import Invitation, Membership, Role, Team
from .transcripts import JobStage, JobStatus, Segment, Transcript, TranscriptionJob

__all__ = [
    "AuditEvent",
    "AuditKind",
    "Consent",
    "ConsentMethod",
    "Conversation",
    "ErasureTombstone",
    "ConversationKind",
    "Feature",
    "FeatureStatus",
    "GlossaryTerm",
    "Highlight",
    "Insight",
    "InsightFeatureLink",
    "InsightStatus",
    "Invitation",
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
    "Redaction",
    "RedactionKind",
    "RetentionAction",
    "RetentionPolicy",
    "RetentionRun",
    "RecordingStatus",
    "RecoveryCode",
    "Role",
    "Segment",
    "Speaker",
    "Stance",
    "TaggedConversation",
    "TaggedHighlight",
    "TaggedInsight",
    "Team",
    "TermKind",
    "TeamTag",
    "Transcript",
    "TranscriptionJob",
    "VoiceProfile",
    "Weight",
]
