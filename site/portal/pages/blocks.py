from django.utils.translation import gettext_lazy as _
from wagtail import blocks


class FaqItemBlock(blocks.StructBlock):
    question = blocks.CharBlock(label=_("Question"), max_length=300)
    answer = blocks.RichTextBlock(
        label=_("Answer"), features=["bold", "italic", "link", "ol", "ul", "document-link"]
    )

    class Meta:
        icon = "help"
        label = _("Question and answer")


class FaqGroupBlock(blocks.StructBlock):
    """A group of questions, as the provincial public-service portals publish them."""

    title = blocks.CharBlock(label=_("Group title"), max_length=200)
    items = blocks.ListBlock(FaqItemBlock(), label=_("Questions"))

    class Meta:
        icon = "folder-open-inverse"
        template = "pages/blocks/faq_group.html"
        label = _("Question group")
        preview_value = {
            "title": "Dịch vụ công trực tuyến",
            "items": [
                {
                    "question": "Làm thế nào để nộp hồ sơ trực tuyến?",
                    "answer": "<p>Đăng nhập Cổng Dịch vụ công bằng tài khoản VNeID.</p>",
                }
            ],
        }
