"""assessor: review library vendors' privacy policies and contracts against the library profession's standards."""

__version__ = "0.1.0"
