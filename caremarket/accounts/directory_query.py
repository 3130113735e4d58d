"""Which of the council's people the directory's SCIM calls reach (accounts.directory): the
caller's own council's, by a filter or by id. Apart from accounts.directory because django-scim2
reads these while it loads the adapter there."""

from django_scim.filters import UserFilterQuery


def only_the_councils_people(model):
    def extra_filter_kwargs(request, *args, **kwargs):
        return {"organisation_id": request.user.organisation_id}
    return extra_filter_kwargs


class CouncilPeopleQuery(UserFilterQuery):
    """A SCIM filter ("userName eq ..."), over the caller's council's people only."""

    @classmethod
    def get_extras(cls, q, request=None):
        return " AND organisation_id = %s", [request.user.organisation_id]
