from celery import shared_task


@shared_task(name="portal.organisations.tasks.staff_invitations_send_task")
def staff_invitations_send_task(user_ids: list[int]) -> int:
    """Invitation emails to new staff accounts; safe to run twice (accounts that have set a
    password are skipped)."""
    from .staff_import import staff_invitations_send

    return staff_invitations_send(user_ids=user_ids)
