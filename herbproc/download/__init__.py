"""Image download: a pooled, polite HTTP client, verification of what arrives, and ``stage=download``."""
