"""nzkg: a knowledge graph of New Zealand's contributions to peace support and military operations."""

__version__ = "0.1.0"
