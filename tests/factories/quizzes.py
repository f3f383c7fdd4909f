import datetime

import factory
import wagtail_factories
from django.utils import timezone

from portal.core.personal_data import personal_data_encrypt, personal_data_hash
from quizzes.models import (
    Assessment,
    Choice,
    ContestIndexPage,
    ContestPage,
    DrawRule,
    Question,
    QuestionCategory,
    Registration,
    Round,
)
from tests.factories.users import UserFactory


class QuestionCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = QuestionCategory
        django_get_or_create = ("code",)

    name = "Chuyển đổi số"
    code = "cds"


class QuestionFactory(factory.django.DjangoModelFactory):
    """A question with `choices` answers (default 4), the first `correct` of them correct."""

    class Meta:
        model = Question
        skip_postgeneration_save = True

    category = factory.SubFactory(QuestionCategoryFactory)
    kind = Question.Kind.SINGLE
    text = factory.Sequence(lambda n: f"Câu hỏi số {n} về chuyển đổi số?")
    explanation = "Theo Quyết định 749/QĐ-TTg."
    difficulty = Question.Difficulty.MEDIUM

    @factory.post_generation
    def choices(self, create, extracted, correct=1, **kwargs):
        if not create:
            return
        count = 2 if self.kind == Question.Kind.TRUE_FALSE else (extracted or 4)
        for i in range(count):
            Choice.objects.create(
                question=self, text=f"Đáp án {'ABCDEFGH'[i]}", is_correct=i < correct, sort_order=i
            )


class AssessmentFactory(factory.django.DjangoModelFactory):
    """A test drawing `questions` questions from any category (a post-generation argument)."""

    class Meta:
        model = Assessment
        skip_postgeneration_save = True

    title = factory.Sequence(lambda n: f"Đề thi {n}")
    time_limit_minutes = 20
    grace_seconds = 30
    attempts_allowed = 3
    counting = Assessment.Counting.BEST

    @factory.post_generation
    def questions(self, create, extracted, **kwargs):
        if create:
            DrawRule.objects.create(assessment=self, count=extracted or 10, sort_order=0)


class ContestIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ContestIndexPage

    title = "Cuộc thi"
    slug = "cuoc-thi"


class ContestPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ContestPage

    title = "Tìm hiểu chuyển đổi số tỉnh Vĩnh Long năm 2026"
    slug = factory.Sequence(lambda n: f"cuoc-thi-{n}")
    intro = "Cuộc thi trực tuyến dành cho cán bộ và người dân."
    rules = "<p>Mỗi tuần một đợt thi.</p>"
    prizes = "<p>Giải nhất: 3.000.000 ₫</p>"


class RoundFactory(factory.django.DjangoModelFactory):
    """An open round by default: opened an hour ago, closes in six days."""

    class Meta:
        model = Round

    contest = None
    title = factory.Sequence(lambda n: f"Tuần {n + 1}")
    opens_at = factory.LazyFunction(lambda: timezone.now() - datetime.timedelta(hours=1))
    closes_at = factory.LazyFunction(lambda: timezone.now() + datetime.timedelta(days=6))
    assessment = factory.SubFactory(AssessmentFactory)
    prediction_prompt = "Bao nhiêu người trả lời đúng tất cả câu hỏi?"
    prediction_target = Round.PredictionTarget.FULL_MARKS
    sort_order = factory.Sequence(int)


class RegistrationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Registration
        exclude = ("citizen_id",)

    contest = None
    user = factory.SubFactory(UserFactory)
    full_name = factory.LazyAttribute(lambda o: o.user.full_name)
    email = factory.LazyAttribute(lambda o: o.user.email)
    phone = factory.Sequence(lambda n: f"09{n:08d}")
    citizen_id = factory.Sequence(lambda n: f"086090{n:06d}")
    citizen_id_hash = factory.LazyAttribute(lambda o: personal_data_hash(o.citizen_id))
    citizen_id_encrypted = factory.LazyAttribute(lambda o: personal_data_encrypt(o.citizen_id))
    citizen_id_last4 = factory.LazyAttribute(lambda o: o.citizen_id[-4:])
    unit = None
    audience = factory.LazyAttribute(
        lambda o: Registration.Audience.STAFF if o.unit else Registration.Audience.CITIZEN
    )
    consent_text = "Tôi đồng ý."
    consented_at = factory.LazyFunction(timezone.now)
