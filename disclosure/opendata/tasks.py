from celery import shared_task

from disclosure.opendata.services import TASK, datasets_build


@shared_task(name=TASK, bind=True, autoretry_for=(Exception,), retry_backoff=30, retry_backoff_max=600,
             max_retries=5, acks_late=True, reject_on_worker_lost=True)
def build_datasets(self, publication_id):
    """Bulk files of a publication and of its province (disclosure.opendata.services).
    Retried with back-off on any failure (the dataset shows 生成失败 meanwhile); acked
    late, so a worker that dies mid-build leaves the task to another worker."""
    return datasets_build(publication_id=publication_id)
