"""Models of the records app (see records/models.py)."""

__all__: list[str] = []
