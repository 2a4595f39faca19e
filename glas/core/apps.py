from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "glas.core"
    label = "core"
    verbose_name = _("Municipality, rules and audit")

    def ready(self) -> None:
        from glas.core import jobs, receivers  # noqa: F401  (periodic jobs; cache invalidation)
        from glas.core.demo import register_seeder, seed_municipality_and_rules
        from glas.core.hotcache import read_on_every_request
        from glas.core.selectors import municipality_cache_key, unread_count_cache_key

        register_seeder("core.municipality_and_rules", seed_municipality_and_rules)
        # Every page's header and every signed-in page's unread count: read in one batch.
        read_on_every_request(site=[municipality_cache_key], person=[unread_count_cache_key])
