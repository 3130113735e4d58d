from django_tasks import task

from . import vouchers


@task()
def send_carer_link(address: str, base_url: str) -> None:
    """Send a carer the sign-in link asked for on the Time for Me page, if the address has a voucher."""
    vouchers.send_link(address, base_url)
