"""The live counter's rows without a settlement used to hold the total; they now hold only the
signatures with no settlement on record, and the total is the sum of every row (signing then
moves one row instead of two). Existing counts are converted: the "no settlement" rows of each
initiative are set to the old total less the settlements' sum, on shard 0."""

from django.db import migrations
from django.db.models import Sum


def totals_to_remainders(apps, schema_editor):
    counter = apps.get_model("initiatives", "SignatureCounter")
    for initiative_id in counter.objects.values_list("initiative_id", flat=True).distinct().order_by():
        rows = counter.objects.filter(initiative_id=initiative_id)
        total = rows.filter(settlement__isnull=True).aggregate(n=Sum("count"))["n"] or 0
        placed = rows.filter(settlement__isnull=False).aggregate(n=Sum("count"))["n"] or 0
        rows.filter(settlement__isnull=True).exclude(shard=0).update(count=0)
        rows.filter(settlement__isnull=True, shard=0).update(count=total - placed)


def remainders_to_totals(apps, schema_editor):
    counter = apps.get_model("initiatives", "SignatureCounter")
    for initiative_id in counter.objects.values_list("initiative_id", flat=True).distinct().order_by():
        rows = counter.objects.filter(initiative_id=initiative_id)
        total = rows.aggregate(n=Sum("count"))["n"] or 0
        rows.filter(settlement__isnull=True).exclude(shard=0).update(count=0)
        rows.filter(settlement__isnull=True, shard=0).update(count=total)


class Migration(migrations.Migration):
    dependencies = [("initiatives", "0002_second_keying")]

    operations = [migrations.RunPython(totals_to_remainders, remainders_to_totals)]
