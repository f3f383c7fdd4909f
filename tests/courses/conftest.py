import pytest
from wagtail.rich_text import RichText

from tests.factories.courses import CourseIndexPageFactory, CoursePageFactory, LessonPageFactory


@pytest.fixture
def course_index(home):
    return CourseIndexPageFactory(parent=home)


@pytest.fixture
def course(course_index):
    """A published course with two text lessons and no final test."""
    page = CoursePageFactory(parent=course_index)
    LessonPageFactory(
        parent=page,
        title="Bài 1: Chuyển đổi số là gì",
        slug="bai-1",
        body=[("paragraph", RichText("<p>Chuyển đổi số là quá trình thay đổi tổng thể.</p>"))],
    )
    LessonPageFactory(
        parent=page,
        title="Bài 2: Dịch vụ công trực tuyến",
        slug="bai-2",
        body=[("paragraph", RichText("<p>Nộp hồ sơ trực tuyến toàn trình.</p>"))],
    )
    return page
