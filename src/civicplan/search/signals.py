"""Single saves and deletes keep the search entries in step; bulk loads call `indexing.reindex_cycle`."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from civicplan.plans.models import AgencyPlan, Goal, Indicator, Section, Theme
from civicplan.search.indexing import forget_record, reindex_record
from civicplan.tracking.models import Measurement

INDEXED = (AgencyPlan, Theme, Section, Goal, Indicator, Measurement)
# Entries of chapters, indicators and measurements go with them by foreign-key cascade (no query per row);
# goals, sections and themes have none.
FORGOTTEN_ON_DELETE = (Theme, Section, Goal)


def _saved(sender, instance, raw=False, **kwargs):
    if not raw:  # fixtures and restores load rows as they are; `civicplan reindex` rebuilds afterwards
        reindex_record(instance)


def _deleted(sender, instance, **kwargs):
    forget_record(instance)


for model in INDEXED:
    receiver(post_save, sender=model, dispatch_uid=f"search-save-{model.__name__}")(_saved)
for model in FORGOTTEN_ON_DELETE:
    receiver(post_delete, sender=model, dispatch_uid=f"search-delete-{model.__name__}")(_deleted)
