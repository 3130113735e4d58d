import logging

from django_tasks_db.management.commands import db_worker


class Command(db_worker.Command):
    help = "The background worker, as django-tasks' db_worker, saying only what goes wrong (for `make run`)."

    def configure_logging(self, verbosity: int) -> None:
        super().configure_logging(verbosity)
        if verbosity == 1:  # a line for every task is noise on a console; a failed task still shows
            for name in (db_worker.TASKS_LOGGER, db_worker.logger.name):
                logging.getLogger(name).setLevel(logging.WARNING)
