"""Publishing or unpublishing a lesson keeps its activities in step with its live body."""

from django.dispatch import receiver
from wagtail.signals import page_published, page_unpublished

from ..models import LessonPage


@receiver(page_published, sender=LessonPage)
@receiver(page_unpublished, sender=LessonPage)
def lesson_activities_on_publish(sender, instance, **kwargs):
    from ..services.activities import lesson_activities_sync

    lesson_activities_sync(lesson=instance)
