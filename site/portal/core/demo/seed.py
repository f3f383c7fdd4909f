"""Idempotent demo content for a province's portal (see content.py for the words).

Every object is looked up by a natural key (unit code, email, page slug, image title) before it
is created, so running the seed again creates nothing new and changes nothing editors changed.
"""

import datetime
import io
from dataclasses import dataclass, field

from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import transaction
from PIL import Image as PILImage
from PIL import ImageDraw, ImageFont
from wagtail.images import get_image_model
from wagtail.models import Collection, Page, Site

from portal.core.models import MainMenu, MainMenuItem, SiteContact
from portal.feedback.models import FeedbackFormField, FeedbackFormPage
from portal.home.models import HomePage
from portal.locations.models import Commune
from portal.locations.services import administrative_units_load
from portal.news.models import ArticleCategory, ArticlePage, NewsIndexPage
from portal.news.services import editorial_permissions_scope, news_moderation_assign
from portal.news.workflow import EDITORS_GROUP, MODERATORS_GROUP
from portal.organisations.models import OrganisationUnit
from portal.organisations.services import organisation_unit_create
from portal.pages.models import FaqPage, StandardPage

from . import content

FONT_PATHS = (
    "/usr/share/fonts/truetype/dejavu/DejaVuSans-Bold.ttf",
    "/usr/share/fonts/TTF/DejaVuSans-Bold.ttf",
)


@dataclass
class SeedReport:
    created: dict[str, int] = field(default_factory=dict)
    # Demo accounts of the apps built on the site: (email, password, role), printed at the end.
    accounts: list[tuple[str, str, str]] = field(default_factory=list)

    def count(self, kind: str, created: bool) -> None:
        self.created[kind] = self.created.get(kind, 0) + int(created)


def _font(size: int):
    for path in FONT_PATHS:
        try:
            return ImageFont.truetype(path, size)
        except OSError:
            continue
    return ImageFont.load_default(size=size)


def banner_image_get_or_create(*, title: str, label: str, color: str, report: SeedReport):
    """A 1200×630 banner with the label drawn on it, made with Pillow (no files shipped)."""
    image_model = get_image_model()
    existing = image_model.objects.filter(title=title).first()
    if existing:
        report.count("images", False)
        return existing
    width, height = 1200, 630
    img = PILImage.new("RGB", (width, height), color)
    draw = ImageDraw.Draw(img)
    for i in range(0, width, 60):  # a light diagonal pattern so banners are not flat blocks
        draw.line([(i, height), (i + 300, 0)], fill=_lighten(color, 0.12), width=18)
    font = _font(64)
    lines = _wrap(draw, label, font, width - 160)
    y = (height - len(lines) * 80) // 2
    for line in lines:
        draw.text((80, y), line, font=font, fill="white")
        y += 80
    buffer = io.BytesIO()
    img.save(buffer, format="PNG")
    slug = "".join(ch if ch.isascii() and ch.isalnum() else "-" for ch in title.lower())[:60]
    image = image_model(title=title, collection=Collection.get_first_root_node())
    image.file = ImageFile(buffer, name=f"{slug or 'banner'}.png")
    image.save()
    report.count("images", True)
    return image


def _lighten(hex_color: str, amount: float) -> str:
    r, g, b = (int(hex_color.lstrip("#")[i : i + 2], 16) for i in (0, 2, 4))
    r, g, b = (round(c + (255 - c) * amount) for c in (r, g, b))
    return f"#{r:02x}{g:02x}{b:02x}"


def _wrap(draw, text: str, font, max_width: int) -> list[str]:
    lines, current = [], ""
    for word in text.split():
        candidate = f"{current} {word}".strip()
        if draw.textlength(candidate, font=font) <= max_width:
            current = candidate
        else:
            lines.append(current)
            current = word
    lines.append(current)
    return [line for line in lines if line]


def units_seed(report: SeedReport) -> dict[str, OrganisationUnit]:
    def get_or_create(*, code, name, kind, parent, commune=None):
        unit = OrganisationUnit.objects.filter(code=code).first()
        if unit is None:
            unit = organisation_unit_create(
                name=name, code=code, kind=kind, parent=parent, commune=commune
            )
            if parent is not None:
                parent.refresh_from_db()
        return unit

    Kind = OrganisationUnit.Kind
    before = OrganisationUnit.objects.count()
    province = get_or_create(
        code=content.PROVINCE_UNIT["code"],
        name=content.PROVINCE_UNIT["name"],
        kind=Kind.PROVINCE,
        parent=None,
    )
    units = {province.code: province}
    for dept in content.DEPARTMENTS:
        unit = get_or_create(
            code=dept["code"], name=dept["name"], kind=Kind.DEPARTMENT, parent=province
        )
        units[unit.code] = unit
        for index, office in enumerate(dept.get("offices", []), start=1):
            get_or_create(
                code=f"{dept['code']}-{index}", name=office, kind=Kind.OFFICE, parent=unit
            )
    for area in content.AREAS:
        units[area["code"]] = get_or_create(
            code=area["code"], name=area["name"], kind=Kind.AREA, parent=province
        )
    communes = Commune.objects.filter(province_id=content.PROVINCE_UNIT["province_code"])
    for commune in communes.order_by("code")[: content.COMMUNE_SAMPLE_SIZE]:
        get_or_create(
            code=f"ubnd-{commune.codename.replace('_', '-')}",
            name=f"Ủy ban nhân dân {commune.name.replace('Phường', 'phường').replace('Xã', 'xã')}",
            kind=Kind.COMMUNE,
            parent=province,
            commune=commune,
        )
    report.created["units"] = OrganisationUnit.objects.count() - before
    return units


def users_seed(units: dict[str, OrganisationUnit], report: SeedReport) -> None:
    user_model = get_user_model()
    groups = {
        "editor": Group.objects.get(name=EDITORS_GROUP),
        "moderator": Group.objects.get(name=MODERATORS_GROUP),
    }
    for spec in content.DEMO_USERS:
        if user_model.objects.filter(email=spec["email"]).exists():
            report.count("users", False)
            continue
        role = spec["role"]
        fields = {
            "full_name": spec["full_name"],
            "phone": spec["phone"],
            "unit": units.get(spec["unit"]),
        }
        if role == "admin":
            user = user_model.objects.create_superuser(spec["email"], spec["password"], **fields)
        else:
            user = user_model.objects.create_user(spec["email"], spec["password"], **fields)
        if role in groups:
            user.groups.add(groups[role])
        report.count("users", True)


def _child_page(parent: Page, page: Page, report: SeedReport, kind: str) -> tuple[Page, bool]:
    existing = parent.get_children().filter(slug=page.slug).first()
    if existing:
        report.count(kind, False)
        return existing.specific, False
    parent.add_child(instance=page)
    page.save_revision().publish()
    report.count(kind, True)
    return page, True


def _stream(blocks) -> list[tuple[str, object]]:
    """content.py writes headings as plain strings; HeadingBlock wants text and level."""
    return [
        (kind, {"text": value, "level": "h2"} if kind == "heading" else value)
        for kind, value in blocks
    ]


def home_seed(report: SeedReport) -> HomePage:
    site = Site.objects.filter(is_default_site=True).first()
    home = HomePage.objects.first()
    if home is None:
        root = Page.get_first_root_node()
        spec = content.HOME_PAGE
        home = HomePage(
            title=spec["title"],
            slug="trang-chu",
            hero_title=spec["hero_title"],
            hero_text=spec["hero_text"],
            hero_link_label=spec["hero_link_label"],
            seo_title=content.SITE_CONTACT["organisation_name"],
            search_description=spec["hero_text"],
        )
        root.add_child(instance=home)
        home.save_revision().publish()
        report.count("pages", True)
    if site is None:
        site = Site.objects.create(
            hostname="localhost", port=80, is_default_site=True, root_page=home
        )
    if site.root_page_id != home.pk:
        old_root = site.root_page
        site.root_page = home
        site.site_name = content.SITE_CONTACT["organisation_name"]
        site.save()
        # Wagtail's "Welcome" placeholder page is replaced by our home page.
        if old_root.content_type.model == "page" and not old_root.get_children().exists():
            old_root.delete()
    editorial_permissions_scope(site_root=home)
    return home


def home_sections_seed(home: HomePage, news_index: NewsIndexPage, report: SeedReport) -> None:
    if home.sections:
        return
    spec = content.HOME_PAGE
    sections = [("latest_news", {"heading": spec["news_heading"], "count": 6})]
    for highlight in spec["highlights"]:
        sections.append(
            (
                "highlights",
                {
                    "heading": highlight["heading"],
                    "intro": highlight.get("intro", ""),
                    "theme": highlight["theme"],
                    "cards": [
                        {"title": c["title"], "text": c["text"], "link_label": ""}
                        for c in highlight["cards"]
                    ],
                },
            )
        )
    sections.append(
        (
            "quick_links",
            {"heading": spec["quick_links_heading"], "links": spec["quick_links"]},
        )
    )
    home.sections = sections
    home.hero_link = news_index
    home.hero_image = banner_image_get_or_create(
        title="Ảnh bìa trang chủ",
        label="",  # the hero's own heading is drawn over it
        color="#0b4f8a",
        report=report,
    )
    home.save_revision().publish()


def news_seed(home: HomePage, report: SeedReport) -> NewsIndexPage:
    news_index, _created = _child_page(
        home,
        NewsIndexPage(
            title="Tin tức",
            slug="tin-tuc",
            intro="Tin tức, sự kiện về chuyển đổi số, dịch vụ công trực tuyến và kinh tế số.",
        ),
        report,
        "pages",
    )
    news_moderation_assign(news_index=news_index)
    categories = {}
    for spec in content.CATEGORIES:
        category, created = ArticleCategory.objects.get_or_create(
            slug=spec["slug"], defaults={"name": spec["name"]}
        )
        categories[spec["slug"]] = category
        report.count("categories", created)
    for spec in content.ARTICLES:
        if news_index.get_children().filter(slug=spec["slug"]).exists():
            report.count("articles", False)
            continue
        image = banner_image_get_or_create(
            title=spec["title"][:255],
            label=spec["image"]["label"],
            color=spec["image"]["color"],
            report=report,
        )
        article = ArticlePage(
            title=spec["title"],
            slug=spec["slug"],
            lead=spec["lead"],
            body=_stream(spec["body"]),
            featured_image=image,
            category=categories[spec["category"]],
            publish_date=datetime.date.fromisoformat(spec["publish_date"]),
            author=spec["author"],
            search_description=spec["lead"][:300],
        )
        article.tags.add(*spec["tags"])
        _child_page(news_index, article, report, "articles")
    return news_index


def other_pages_seed(home: HomePage, report: SeedReport) -> list[Page]:
    pages = []
    for spec in content.STANDARD_PAGES:
        page, _ = _child_page(
            home,
            StandardPage(
                title=spec["title"],
                slug=spec["slug"],
                intro=spec["intro"],
                body=_stream(spec["body"]),
            ),
            report,
            "pages",
        )
        pages.append(page)
    faq = content.FAQ_PAGE
    faq_page, _ = _child_page(
        home,
        FaqPage(
            title=faq["title"],
            slug=faq["slug"],
            intro=faq["intro"],
            groups=[("group", group) for group in faq["groups"]],
        ),
        report,
        "pages",
    )
    pages.append(faq_page)
    spec = content.FEEDBACK_PAGE
    feedback = FeedbackFormPage(
        title=spec["title"],
        slug=spec["slug"],
        intro=spec["intro"],
        thank_you_text=spec["thank_you_text"],
        subject=spec["subject"],
        to_address=spec["to_address"],
        from_address="",
    )
    for order, field_spec in enumerate(spec["fields"]):
        feedback.form_fields.add(FeedbackFormField(sort_order=order, **field_spec))
    feedback_page, _ = _child_page(home, feedback, report, "pages")
    pages.append(feedback_page)
    return pages


def settings_seed(site: Site, menu_pages: list[Page]) -> None:
    contact = SiteContact.for_site(site)
    if not contact.organisation_name:
        for name, value in content.SITE_CONTACT.items():
            setattr(contact, name, value)
        contact.save()
    menu = MainMenu.for_site(site)
    if not menu.items.exists():
        for order, page in enumerate(menu_pages):
            menu.items.add(MainMenuItem(page=page, sort_order=order))
        menu.save()


@transaction.atomic
def demo_seed() -> SeedReport:
    """Creates the demo province, its units, accounts and pages; a second run creates nothing."""
    report = SeedReport()
    administrative_units_load()
    units = units_seed(report)
    users_seed(units, report)
    home = home_seed(report)
    news_index = news_seed(home, report)
    others = other_pages_seed(home, report)
    home_sections_seed(home, news_index, report)
    site = Site.objects.get(root_page=home)
    faq_page = next(p for p in others if isinstance(p, FaqPage))
    feedback_page = next(p for p in others if isinstance(p, FeedbackFormPage))
    about = others[0]
    settings_seed(site, [news_index, about, faq_page, feedback_page])
    return report
