from drf_spectacular.views import SpectacularSwaggerSplitView


class SwaggerUIView(SpectacularSwaggerSplitView):
    """Swagger UI from our static files, its start-up script fetched as a file of its own: the
    page has no inline script or style, so it works under a strict Content-Security-Policy."""

    template_name = "api/swagger_ui.html"
    url_name = "api:schema"
