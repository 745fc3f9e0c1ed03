"""geopol alerts send-due | digest-now | status | prune: the alert pipeline's operator
commands."""

from __future__ import annotations

import json

from django.core.management.base import BaseCommand, CommandError
from django.db.models import Count
from django.utils import timezone

from geopol.follows import alerts, tasks
from geopol.follows.models import AlertEmail, Delivery


class Command(BaseCommand):
    help = (
        "send-due: queue what is due (newly published articles, lost alerts, each member's "
        "daily digest after their hour, default GEOPOL_DIGEST_HOUR UTC); run it every minute "
        "from cron or a systemd timer. "
        "digest-now: queue the daily digest now. status: counts. prune: delete sent, dropped "
        "and in-doubt deliveries and emails older than GEOPOL_ALERTS_KEEP_DAYS (send-due "
        "does it too). A worker (geopol worker) does the sending."
    )

    def add_arguments(self, parser) -> None:
        parser.add_argument("action", choices=["send-due", "digest-now", "status", "prune"])

    def handle(self, *args, action: str, **options) -> None:
        try:
            report = self.run(action)
        except ValueError as error:  # a setting that would send twice
            raise CommandError(str(error)) from error
        self.stdout.write(json.dumps(report, sort_keys=True))

    def run(self, action: str) -> dict:
        if action == "send-due":
            report = tasks.send_due()
        elif action == "prune":
            report = alerts.prune()
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
        return report
