import datetime

import factory
import wagtail_factories

from portal.feedback.models import FeedbackFormField, FeedbackFormPage
from portal.home.models import HomePage
from portal.news.models import ArticleCategory, ArticlePage, NewsIndexPage
from portal.pages.models import FaqPage, StandardPage


class HomePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = HomePage

    title = "Trang chủ"
    slug = "trang-chu"
    hero_title = "Chuyển đổi số tỉnh Vĩnh Long"
    hero_text = "Chính quyền số, kinh tế số, xã hội số."


class NewsIndexPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = NewsIndexPage

    title = "Tin tức"
    slug = "tin-tuc"
    intro = "Tin tức chuyển đổi số"


class ArticleCategoryFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ArticleCategory
        django_get_or_create = ("slug",)

    name = "Dịch vụ công trực tuyến"
    slug = "dich-vu-cong"


class ArticlePageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = ArticlePage

    title = factory.Sequence(lambda n: f"Đẩy mạnh dịch vụ công trực tuyến toàn trình số {n}")
    slug = factory.Sequence(lambda n: f"bai-viet-{n}")
    lead = "Người dân được hướng dẫn nộp hồ sơ trực tuyến tại bộ phận một cửa."
    body = factory.LazyFunction(
        lambda: [("paragraph", "<p>Tổ công nghệ số cộng đồng hỗ trợ người dân.</p>")]
    )
    category = factory.SubFactory(ArticleCategoryFactory)
    publish_date = factory.LazyFunction(lambda: datetime.date(2026, 11, 20))
    author = "Ban Biên tập"


class StandardPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = StandardPage

    title = "Giới thiệu"
    slug = "gioi-thieu"
    intro = "Cổng thông tin điện tử về chuyển đổi số của tỉnh."
    body = factory.LazyFunction(lambda: [("heading", {"text": "Nhiệm vụ", "level": "h2"})])


class FaqPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FaqPage

    title = "Hỏi đáp"
    slug = "hoi-dap"
    groups = factory.LazyFunction(
        lambda: [
            (
                "group",
                {
                    "title": "Tài khoản định danh điện tử",
                    "items": [
                        {
                            "question": "Làm thế nào để kích hoạt tài khoản VNeID mức độ 2?",
                            "answer": "<p>Đến Công an xã, phường nơi cư trú.</p>",
                        }
                    ],
                },
            )
        ]
    )


class FeedbackFormPageFactory(wagtail_factories.PageFactory):
    class Meta:
        model = FeedbackFormPage
        skip_postgeneration_save = True

    title = "Góp ý, phản ánh"
    slug = "gop-y"
    intro = "Gửi góp ý của bạn cho Ban Biên tập."
    thank_you_text = "Cảm ơn bạn đã gửi góp ý."
    to_address = "bientap@example.vn"
    subject = "Góp ý mới"

    @factory.post_generation
    def fields(self, create, extracted, **kwargs):
        if not create:
            return
        specs = extracted or [
            ("Họ và tên", "singleline", True),
            ("Email", "email", True),
            ("Nội dung góp ý", "multiline", True),
        ]
        for order, (label, field_type, required) in enumerate(specs):
            FeedbackFormField.objects.create(
                page=self, sort_order=order, label=label, field_type=field_type, required=required
            )
