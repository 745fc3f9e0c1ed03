import functools

from django.conf import settings

from geopol.core.siteurl import site_url


def site(request):
    """The site's name and mission line, for the header and footer of every page, and its
    address (asked only when a template uses it: GEOPOL_SITE_URL, else the request's)."""
    context = {"site_name": settings.SITE_NAME, "site_mission": settings.GEOPOL_MISSION}
    if request is not None:
        context["site_url"] = functools.partial(site_url, request)
    return context
