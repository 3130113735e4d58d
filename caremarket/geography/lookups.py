from .models import Area, PostcodeDistrict
from .postcodes import district


def area_for_postcode(postcode: str) -> Area | None:
    """The home-support area a postcode falls in, or None outside the city."""
    found = PostcodeDistrict.objects.select_related("area").filter(code=district(postcode)).first()
    return found.area if found else None
