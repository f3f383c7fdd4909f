import datetime
from decimal import Decimal

import factory
import wagtail_factories
from django.utils import timezone

from courses.models import Assignment, CourseIndexPage, CoursePage, Enrolment, LessonPage
from portal.organisations.models import Position, UnitManager
from tests.factories.users import OrganisationUnitFactory, UserFactory


class CourseIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CourseIndexPage

    title = "Khóa học"
    slug = "khoa-hoc"


class CoursePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = CoursePage

    title = factory.Sequence(lambda n: f"Kỹ năng số cơ bản {n}")
    slug = factory.Sequence(lambda n: f"ky-nang-so-{n}")
    summary = "Kỹ năng số cho cán bộ, công chức, viên chức."
    estimated_hours = Decimal("4.0")
    pass_percent = 70
    certificate_enabled = True


class LessonPageFactory(wagtail_factories.PageFactory):
    """A lesson; pass `body=[("paragraph", RichText(...)), ...]` for content."""

    class Meta:
        model = LessonPage

    title = factory.Sequence(lambda n: f"Bài {n}")
    slug = factory.Sequence(lambda n: f"bai-{n}")
    intro = "Bài học về chuyển đổi số."


class PositionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Position
        django_get_or_create = ("code",)

    name = factory.Sequence(lambda n: f"Chuyên viên {n}")
    code = factory.Sequence(lambda n: f"chuc-vu-{n}")


class UnitManagerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = UnitManager

    user = factory.SubFactory(UserFactory, is_staff=True)
    unit = factory.SubFactory(OrganisationUnitFactory)


class AssignmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Assignment
        skip_postgeneration_save = True

    course = None
    due_date = factory.LazyFunction(lambda: timezone.localdate() + datetime.timedelta(days=30))
    yearly = True
    remind_days_before = 7

    @factory.post_generation
    def units(self, create, extracted, **kwargs):
        if create and extracted:
            self.units.set(extracted)
            self.save()

    @factory.post_generation
    def positions(self, create, extracted, **kwargs):
        if create and extracted:
            self.positions.set(extracted)
            self.save()


class EnrolmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Enrolment

    user = factory.SubFactory(UserFactory)
    course = None
    cycle = factory.LazyFunction(lambda: timezone.localdate().year)


# Learner flow helpers: lessons whose body holds tracked blocks, published through Wagtail so
# that the publish receiver syncs their activities.


def learning_h5p_content(title="Đúng hay sai: chữ ký số"):
    """An H5PContent row with its main library (no files: enough for progress and xAPI)."""
    import uuid

    from courses.models import H5PContent, H5PLibrary

    library, _created = H5PLibrary.objects.get_or_create(
        machine_name="H5P.TrueFalse",
        major_version=1,
        minor_version=8,
        defaults={"title": "True/False Question", "metadata": {}},
    )
    content = H5PContent.objects.create(
        title=title,
        language="vi",
        main_library=library,
        metadata={"title": title, "mainLibrary": "H5P.TrueFalse"},
        source_name=f"{uuid.uuid4().hex[:8]}.h5p",
    )
    content.libraries.add(library)
    return content


def learning_video_document(name="bai-giang.mp4"):
    from django.core.files.base import ContentFile
    from wagtail.documents.models import Document

    return Document.objects.create(title="Video bài giảng", file=ContentFile(b"\0" * 64, name=name))


def learning_block(block_type, value, block_id=None):
    """A raw StreamField block for `learning_lesson`."""
    import uuid

    return {"type": block_type, "value": value, "id": block_id or str(uuid.uuid4())}


def learning_lesson(course, blocks, **kwargs):
    """A lesson of `course` with `blocks` (raw blocks from `learning_block`), published with a
    revision so that page_published fires."""
    import json

    lesson = LessonPageFactory(parent=course, **kwargs)
    lesson.body = json.dumps(blocks)
    lesson.save_revision().publish()
    lesson.refresh_from_db()
    return lesson
