from geopol.geo.models import Region


def navigation(request):
    """The Regions & Countries menu in every page's header."""
    return {"nav_regions": Region.objects.navigation()}
