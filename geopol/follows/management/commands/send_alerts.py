"""geopol alerts send-due | digest-now | status: the alert pipeline's operator commands."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand
from django.db.models import Count
from django.utils import timezone

from geopol.follows import alerts, tasks
from geopol.follows.models import AlertEmail, Delivery


class Command(BaseCommand):
    help = (
        "send-due: queue what is due (newly published articles, lost alerts, the daily digest "
        "after GEOPOL_DIGEST_HOUR); run it every minute from cron or a systemd timer. "
        "digest-now: queue the daily digest now. status: counts. A worker (geopol worker) "
        "does the sending."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["send-due", "digest-now", "status"])

    def handle(self, *args, action: str, **options) -> None:
        if action == "send-due":
            report = tasks.send_due()
        elif action == "digest-now":
            report = {"digest_members": tasks.enqueue_digests(timezone.now())}
        else:
            report = {
                "deliveries": dict(
                    Delivery.objects.values_list("status").annotate(n=Count("id")).order_by()
                ),
                "emails": dict(
                    AlertEmail.objects.values_list("status").annotate(n=Count("id")).order_by()
                ),
                "in_doubt": alerts.in_doubt(),
            }
        self.stdout.write(json.dumps(report, sort_keys=True))
