from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PartnersConfig(AppConfig):
    name = "partners"
    verbose_name = _("Partners, agreements and projects")

    def ready(self):
        from publishing.caching import bump_on_change

        bump_on_change(self)  # a change to any of this app's records: cached pages are not served again

        from publishing import history
        from search import index

        from .models import Agreement, CooperationProject, Partner

        index.register(Partner)
        index.register(Agreement)
        index.register(CooperationProject)
        # What a partner takes part in has pages and feed entries of its own: its page's
        # changes are its own and its sources'.
        history.track(Partner, parts=("sources",))
