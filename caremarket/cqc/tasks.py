from django_tasks import task

from caremarket.accounts.models import User

from .importer import import_file


@task()
def import_cqc_file(path: str, user_id: int | None = None) -> int:
    """An uploaded CQC file, imported by the background worker; returns the import's id."""
    actor = User.objects.filter(pk=user_id).first() if user_id else None
    return import_file(path, actor=actor).pk
