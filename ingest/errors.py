"""Why a document could not be read: one precise exception per cause, each with a clear sentence."""


class DocumentError(Exception):
    """A document that cannot be ingested; the message is one sentence a user can act on."""


class UnreadableText(DocumentError):
    """A text file that is not text (binary content) or cannot be decoded."""


class EmptyDocument(DocumentError):
    """A file with no words in it."""


class ResourceLimitExceeded(DocumentError):
    """A document past one of the per-document resource limits (ingest/limits.py); it fails at once."""


class UnreadableDocument(DocumentError):
    """A Word or HTML file that is damaged, or is not what its name says."""
