"""What needs each person when they sign in: their work, most urgent first, each task saying how
many and which, and linking to the list filtered to exactly those. A task with nothing in it is
left out; a figure that asks nothing of the person (how many audit events there are) is not a task.

Each app says what of its own needs doing in its `work.py` (see `core.worklist`); this module only
gathers them, in the order the apps are installed, then by urgency.
"""

from __future__ import annotations

from functools import cache
from importlib import import_module

from django.apps import apps
from django.utils.module_loading import module_has_submodule

from caremarket.core.worklist import Task


@cache
def _work_modules() -> tuple:
    return tuple(import_module(f"{config.name}.work") for config in apps.get_app_configs()
                 if config.name.startswith("caremarket.") and module_has_submodule(config.module, "work"))


def tasks_for(user) -> list[Task]:
    """The person's work, most urgent first (then as each app lists it)."""
    tasks = [task for work in _work_modules() for task in work.tasks_for(user)]
    return sorted(tasks, key=lambda task: task.urgency)
