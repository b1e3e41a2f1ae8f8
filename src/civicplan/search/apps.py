from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _index_existing_plans(sender, using="default", **kwargs):
    """After an upgrade brings search to a database that already holds plans, index them once."""
    from civicplan.plans.models import PlanCycle
    from civicplan.search.indexing import reindex_cycle
    from civicplan.search.models import SearchEntry

    if SearchEntry.objects.using(using).exists():
        return
    for cycle in PlanCycle.objects.using(using).all():
        reindex_cycle(cycle)


class SearchConfig(AppConfig):
    name = "civicplan.search"
    label = "search"
    verbose_name = "搜尋"

    def ready(self):
        from civicplan.search import checks, signals  # noqa: F401

        post_migrate.connect(_index_existing_plans, sender=self, dispatch_uid="search-index-existing-plans")
