"""Each request works, in the database too, for the council of the person asking
(core.tenancy; accounts.permissions.council_acted_for)."""

from caremarket.core import tenancy

from .permissions import council_acted_for


class CouncilOfPerson:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        tenancy.use_council(council_acted_for(request.user))
        try:
            response = self.get_response(request)
        except BaseException:
            tenancy.reset()
            raise
        if response.streaming:  # a download is read after this returns: reset once it has been sent
            response.streaming_content = _then_reset(response.streaming_content)
        else:
            tenancy.reset()
        return response


def _then_reset(content):
    try:
        yield from content
    finally:
        tenancy.reset()
