"""The marketplace's place in the page tree: the menu links to it, and it shows the catalogue."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import FieldPanel
from wagtail.fields import RichTextField

from portal.core.models import BasePage


class MarketplacePage(BasePage):
    intro = RichTextField(_("introduction"), blank=True, features=["bold", "italic", "link"])

    content_panels = BasePage.content_panels + [FieldPanel("intro")]
    parent_page_types = ["home.HomePage"]
    subpage_types: list[str] = []
    max_count = 1

    class Meta:
        verbose_name = _("OCOP marketplace page")

    def serve(self, request, *args, **kwargs):
        from ..views.catalogue import catalogue

        return catalogue(request, page=self)
