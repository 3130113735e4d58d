"""Sizes as people read them in messages ("20.0 MB")."""


def megabytes(size: int) -> str:
    return f"{size / (1024 * 1024):,.1f} MB"
