from django.db import models
from django.utils.translation import gettext_lazy as _
from modelcluster.fields import ParentalKey
from modelcluster.models import ClusterableModel
from wagtail.admin.panels import FieldPanel, InlinePanel, MultiFieldPanel
from wagtail.contrib.settings.models import BaseSiteSetting, register_setting
from wagtail.models import Orderable, Page


class BasePage(Page):
    """Every page of the site: SEO title and description come from Wagtail's promote tab."""

    social_image = models.ForeignKey(
        "wagtailimages.Image",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("Social sharing image"),
    )

    promote_panels = [
        MultiFieldPanel(Page.promote_panels, _("Common page configuration")),
        FieldPanel("social_image"),
    ]

    class Meta:
        abstract = True


@register_setting(icon="mail")
class SiteContact(BaseSiteSetting):
    """The organisation behind the portal, shown in the footer of every page."""

    organisation_name = models.CharField(_("organisation name"), max_length=255)
    governing_body = models.CharField(_("governing body"), max_length=255, blank=True)
    address = models.CharField(_("address"), max_length=255, blank=True)
    hotline = models.CharField(_("hotline"), max_length=30, blank=True)
    email = models.EmailField(_("email"), blank=True)
    working_hours = models.CharField(_("working hours"), max_length=255, blank=True)
    licence = models.CharField(
        _("licence"),
        max_length=255,
        blank=True,
        help_text=_("Licence of the electronic information portal, shown in the footer."),
    )

    panels = [
        FieldPanel("organisation_name"),
        FieldPanel("governing_body"),
        FieldPanel("address"),
        FieldPanel("hotline"),
        FieldPanel("email"),
        FieldPanel("working_hours"),
        FieldPanel("licence"),
    ]

    class Meta:
        verbose_name = _("Contact details")


@register_setting(icon="list-ul")
class MainMenu(BaseSiteSetting, ClusterableModel):
    panels = [InlinePanel("items", label=_("Menu items"))]

    class Meta:
        verbose_name = _("Main menu")

    def links(self):
        """Items with their pages in one query (rendered on every page)."""
        return self.items.select_related("page")


class MainMenuItem(Orderable):
    menu = ParentalKey(MainMenu, on_delete=models.CASCADE, related_name="items")
    page = models.ForeignKey(
        "wagtailcore.Page", on_delete=models.CASCADE, related_name="+", verbose_name=_("page")
    )
    label = models.CharField(
        _("label"), max_length=60, blank=True, help_text=_("The page title is used when empty.")
    )

    panels = [FieldPanel("page"), FieldPanel("label")]

    @property
    def text(self):
        return self.label or self.page.title

    class Meta(Orderable.Meta):
        verbose_name = _("menu item")
