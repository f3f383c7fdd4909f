from django.db import models
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import StreamField
from wagtail.search import index

from portal.core.blocks import BodyBlock
from portal.core.models import BasePage

from .blocks import FaqGroupBlock


class StandardPage(BasePage):
    intro = models.TextField(_("introduction"), blank=True)
    body = StreamField(BodyBlock(), blank=True, verbose_name=_("body"))

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("body")]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("body"),
    ]

    class Meta:
        verbose_name = _("standard page")


class FaqPage(BasePage):
    intro = models.TextField(_("introduction"), blank=True)
    groups = StreamField(
        [("group", FaqGroupBlock())], blank=True, verbose_name=_("question groups")
    )

    content_panels = BasePage.content_panels + [FieldPanel("intro"), FieldPanel("groups")]
    search_fields = BasePage.search_fields + [
        index.SearchField("intro"),
        index.SearchField("groups"),
    ]

    subpage_types = []

    class Meta:
        verbose_name = _("FAQ page")
