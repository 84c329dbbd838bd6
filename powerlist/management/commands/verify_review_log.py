"""The former name of verify_operation_record, kept for scripts and cron lines."""

from powerlist.management.commands.verify_operation_record import Command as VerifyOperationRecord


class Command(VerifyOperationRecord):
    help = "Same as verify_operation_record (its former name)."
