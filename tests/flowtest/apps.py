from django.apps import AppConfig


class FlowtestConfig(AppConfig):
    """Test-only app: two flows that are not the review chain, run by the same engine."""

    name = "tests.flowtest"
    label = "flowtest"

    def ready(self):
        from tests.flowtest.contracts import ShortRecordContract, TicketContract

        from powerlist.review.contract import contract_register

        contract_register(ShortRecordContract())
        contract_register(TicketContract())
