"""The comment digests as a job, enqueued by `lodestar worker`'s schedule."""

from django_tasks import task

from lodestar.conversation.notices import comment_notices_send


@task(queue_name="notify")
def comment_digests_send() -> int:
    """Send every person's pending comment notices that have waited a quarter hour."""
    return comment_notices_send()
