"""Sections of the home page. Later features (courses, contests, OCOP products) add their own."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.images.blocks import ImageChooserBlock


class LatestNewsBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), default="Tin tức chuyển đổi số")
    count = blocks.IntegerBlock(label=_("Number of articles"), default=6, min_value=1, max_value=12)

    class Meta:
        icon = "doc-full"
        template = "home/blocks/latest_news.html"
        label = _("Latest news")
        preview_value = {"heading": "Tin tức chuyển đổi số", "count": 3}

    def get_context(self, value, parent_context=None):
        from portal.news.selectors import articles_latest

        context = super().get_context(value, parent_context=parent_context)
        context["articles"] = articles_latest(limit=value["count"])
        return context


class HighlightCardBlock(blocks.StructBlock):
    title = blocks.CharBlock(label=_("Title"), max_length=120)
    text = blocks.TextBlock(label=_("Text"), max_length=300)
    image = ImageChooserBlock(label=_("Image"), required=False)
    page = blocks.PageChooserBlock(label=_("Page"), required=False)
    link_label = blocks.CharBlock(label=_("Link text"), required=False, max_length=60)

    class Meta:
        icon = "pick"
        label = _("Card")


class HighlightSectionBlock(blocks.StructBlock):
    """A themed section (training courses, contests, OCOP products) with cards."""

    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    intro = blocks.TextBlock(label=_("Introduction"), required=False)
    theme = blocks.ChoiceBlock(
        label=_("Theme"),
        choices=[
            ("courses", _("Training courses")),
            ("contests", _("Contests")),
            ("products", _("OCOP products")),
            ("services", _("Online public services")),
        ],
    )
    cards = blocks.ListBlock(HighlightCardBlock(), label=_("Cards"), max_num=6)

    class Meta:
        icon = "grip"
        template = "home/blocks/highlight_section.html"
        label = _("Highlighted section")


class QuickLinkBlock(blocks.StructBlock):
    label = blocks.CharBlock(label=_("Label"), max_length=80)
    url = blocks.URLBlock(label=_("Address"))

    class Meta:
        icon = "link"


class QuickLinksBlock(blocks.StructBlock):
    heading = blocks.CharBlock(label=_("Heading"), max_length=120)
    links = blocks.ListBlock(QuickLinkBlock(), label=_("Links"), max_num=12)

    class Meta:
        icon = "link"
        template = "home/blocks/quick_links.html"
        label = _("Quick links")


class HomeSectionsBlock(blocks.StreamBlock):
    latest_news = LatestNewsBlock()
    highlights = HighlightSectionBlock()
    quick_links = QuickLinksBlock()
