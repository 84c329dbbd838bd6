from celery import shared_task


@shared_task
def verify_review_log():
    """Verify the review log's hash chain; returns a summary dict."""
    from powerlist.services.review import review_log_verify

    count, broken, reason = review_log_verify()
    return {"entries": count, "ok": not reason, "broken_seq": broken.seq if broken else None, "reason": reason}
