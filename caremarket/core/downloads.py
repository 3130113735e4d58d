"""Naming a file the service hands out."""

import re

UNSAFE = re.compile(r'[^A-Za-z0-9._-]+')


def attachment(name: str) -> str:
    """A Content-Disposition header for a download: the name as a file can have it on any
    computer (a year like 2026/27 becomes 2026-27; quotes, spaces and slashes become hyphens)."""
    stem, dot, suffix = name.rpartition(".")
    safe = UNSAFE.sub("-", stem if dot else name).strip("-.") or "download"
    return f'attachment; filename="{safe}{dot}{UNSAFE.sub("", suffix) if dot else ""}"'
