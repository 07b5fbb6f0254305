from django.core.management.base import BaseCommand

from workflow.flows import flow_arm_missing_timers


class Command(BaseCommand):
    help = (
        "Arm the deadline timers of requests whose step or correction wait has none "
        "(opened before the flow owned deadlines). Idempotent."
    )

    def handle(self, **options):
        self.stdout.write(f"{flow_arm_missing_timers()} timer(s) armed")
