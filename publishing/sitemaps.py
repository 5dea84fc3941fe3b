"""The base of every sitemap section: each page in English and Chinese, with both languages and an
x-default as alternates."""

from django.conf import settings
from django.contrib.sitemaps import Sitemap


class BilingualSitemap(Sitemap):
    i18n = True
    alternates = True
    x_default = True

    def get_urls(self, *args, **kwargs):
        urls = super().get_urls(*args, **kwargs)
        # Django's x-default is the address without a language prefix, which only redirects
        # here; point it at the default language's page, as each page's <head> does.
        for url in urls:
            by_language = {alternate["lang_code"]: alternate for alternate in url["alternates"]}
            if "x-default" in by_language and settings.LANGUAGE_CODE in by_language:
                by_language["x-default"]["location"] = by_language[settings.LANGUAGE_CODE]["location"]
        return urls
