"""Sizes as people read them in messages ("20.0 MB")."""


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"


def size_of(size: int) -> str:
    """A file's size in the unit that reads best: "64 KB", "20.0 MB"."""
    return f"{-(-size // 1024):,} KB" if size < 1024 * 1024 else megabytes(size)
