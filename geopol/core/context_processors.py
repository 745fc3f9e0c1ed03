from django.conf import settings


def site(request):
    """The site's name and mission line, for the header and footer of every page."""
    return {"site_name": settings.SITE_NAME, "site_mission": settings.GEOPOL_MISSION}
