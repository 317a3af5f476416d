"""Every error a user can act on, in one tree under `EvidenceError`.

The library raises the precise class; the CLI and the web server catch only `EvidenceError`
(exit code 2, HTTP 400 or 503) and treat anything else as a bug. The tree lives in `ingest/`,
the lowest layer, so every layer can import it. Classes that callers also catch as `ValueError`
(or `LookupError`, `RuntimeError`) keep that as a second base.
"""


class EvidenceError(Exception):
    """Something the user can fix or must know about; the message is one sentence they can act on."""


class ConfigError(EvidenceError, ValueError):
    """A configuration file (manifest, codebook, gazetteer, name patterns, respondent schemes,
    annotations) that cannot be read or does not have the documented shape."""


class RequestError(EvidenceError, ValueError):
    """A request the library cannot carry out as asked: an unknown value, a bad filter, method or option."""


class StoreError(EvidenceError):
    """The published store cannot answer now: nothing ingested yet, an ingest running, an index that does not fit."""


class OutputError(EvidenceError, ValueError):
    """An export or report that cannot be written where or how it was asked."""


class SetupError(EvidenceError, RuntimeError):
    """The installation lacks something it needs (a packaged model, its weights)."""


class DocumentError(EvidenceError):
    """A document that cannot be ingested; the message is one sentence a user can act on."""


class UnreadableText(DocumentError):
    """A text file that is not text (binary content) or cannot be decoded."""


class EmptyDocument(DocumentError):
    """A file with no words in it."""


class ResourceLimitExceeded(DocumentError):
    """A document past one of the per-document resource limits (ingest/limits.py); it fails at once."""


class UnreadableDocument(DocumentError):
    """A Word or HTML file that is damaged, or is not what its name says."""
