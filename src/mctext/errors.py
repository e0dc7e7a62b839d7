"""Errors a user sees as a one-line reason, never as a traceback."""


class MctextError(Exception):
    """Base class: the message is a complete, human-readable one-line reason."""


class ExtractionError(MctextError):
    """A file that cannot be read (corrupt, truncated, encrypted, empty, unsupported)."""


class AnnotationFileError(MctextError):
    """A malformed annotation file, refused whole; the message names the line or task."""
