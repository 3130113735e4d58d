from django_tasks import task

from . import files


@task()
def publish_open_data() -> list[int]:
    """Nightly: build each year's open contracting file whose data changed since it was built."""
    return files.build_all()
