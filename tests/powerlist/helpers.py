from powerlist.review.engine import review_approve, review_confirm_establishment, review_confirm_legal, review_submit


def confirm(org, power):
    """Walk a draft power through the whole chain with the org fixture's users."""
    power = review_submit(user=org.clerk, obj=power)
    power = review_approve(user=org.dept_reviewer, obj=power)
    power = review_approve(user=org.office_reviewer, obj=power)
    power = review_confirm_establishment(user=org.establishment, obj=power)
    return review_confirm_legal(user=org.legal, obj=power)
