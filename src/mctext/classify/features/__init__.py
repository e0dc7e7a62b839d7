"""Feature extractors for the trained layer (see ``embed.py``)."""
