"""Blocks of a lesson's body. Trackable blocks (video, H5P, knowledge check) become activities."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.documents.blocks import DocumentChooserBlock
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock
from wagtail.snippets.blocks import SnippetChooserBlock

from portal.core.blocks import CaptionedImageBlock, DocumentLinkBlock, HeadingBlock


class GradingMethod(blocks.ChoiceBlock):
    choices = [
        ("highest", _("Highest attempt")),
        ("last", _("Last attempt")),
        ("first", _("First attempt")),
        ("average", _("Average of attempts")),
    ]


class VideoBlock(blocks.StructBlock):
    """An uploaded video file with a poster, or an embed (YouTube, Vimeo…)."""

    title = blocks.CharBlock(label=_("Title"), max_length=200)
    file = DocumentChooserBlock(
        required=False,
        label=_("Video file"),
        help_text=_("An MP4 or WebM file from the documents library."),
    )
    poster = ImageChooserBlock(required=False, label=_("Poster image"))
    embed = EmbedBlock(
        required=False,
        label=_("Or an embedded video"),
        help_text=_("Embedded videos cannot report how much was watched: opening counts."),
    )
    complete_percent = blocks.IntegerBlock(
        min_value=10,
        max_value=100,
        default=80,
        label=_("Complete when watched to (%)"),
    )

    class Meta:
        icon = "media"
        template = "courses/blocks/video.html"
        label = _("Video")

    def clean(self, value):
        result = super().clean(value)
        if bool(result.get("file")) == bool(result.get("embed")):
            raise blocks.StructBlockValidationError(
                block_errors={
                    "file": blocks.BlockValidationError(
                        _("Choose either a video file or an embedded video.")
                    )
                }
            )
        return result


class H5PBlock(blocks.StructBlock):
    content = SnippetChooserBlock("courses.H5PContent", label=_("H5P activity"))
    completion = blocks.ChoiceBlock(
        choices=[("completed", _("Completed")), ("passed", _("Passed (reaches the pass mark)"))],
        default="passed",
        label=_("Complete when"),
    )
    pass_percent = blocks.IntegerBlock(
        min_value=0, max_value=100, default=60, label=_("Pass mark (%)")
    )
    grading = GradingMethod(default="highest", label=_("Attempt that counts"))

    class Meta:
        icon = "pick"
        template = "courses/blocks/h5p.html"
        label = _("H5P activity")


class KnowledgeCheckBlock(blocks.StructBlock):
    """A short test drawn from the question bank; passed at the test's own pass mark."""

    assessment = SnippetChooserBlock("quizzes.Assessment", label=_("Test"))
    intro = blocks.TextBlock(required=False, label=_("Introduction"))

    class Meta:
        icon = "list-ol"
        template = "courses/blocks/knowledge_check.html"
        label = _("Knowledge check")


class LessonBodyBlock(blocks.StreamBlock):
    heading = HeadingBlock()
    paragraph = blocks.RichTextBlock(
        features=["h3", "h4", "bold", "italic", "link", "ol", "ul", "document-link"],
        label=_("Paragraph"),
        template="core/blocks/paragraph.html",
        icon="pilcrow",
        preview_value="<p>Dịch vụ công trực tuyến toàn trình giúp người dân nộp hồ sơ từ xa.</p>",
    )
    image = CaptionedImageBlock()
    video = VideoBlock()
    document = DocumentLinkBlock()
    h5p = H5PBlock()
    knowledge_check = KnowledgeCheckBlock()


# Block types that carry their own completion rule (others complete when the lesson is viewed).
TRACKED_BLOCK_TYPES = ("video", "h5p", "knowledge_check")
