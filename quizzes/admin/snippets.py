"""Admin screens of the question bank and tests (snippets, grouped in one menu)."""

from django import forms
from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminModelForm
from wagtail.admin.panels import ObjectList
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from ..models import Assessment, Question, QuestionCategory


class QuestionForm(WagtailAdminModelForm):
    """Refuses a question whose correct answers do not fit its kind."""

    def clean(self):
        cleaned = super().clean()
        formset = self.formsets.get("choices")
        if formset is None or not formset.is_valid():
            return cleaned
        rows = [
            f.cleaned_data
            for f in formset.forms
            if f.cleaned_data and not f.cleaned_data.get("DELETE")
        ]
        correct = sum(1 for row in rows if row.get("is_correct"))
        kind = cleaned.get("kind")
        if kind == Question.Kind.TRUE_FALSE and len(rows) != 2:
            raise forms.ValidationError(_("A true/false question has exactly two answers."))
        if kind in (Question.Kind.SINGLE, Question.Kind.TRUE_FALSE) and correct != 1:
            raise forms.ValidationError(_("Mark exactly one answer as correct."))
        if kind == Question.Kind.MULTIPLE and correct < 1:
            raise forms.ValidationError(_("Mark at least one answer as correct."))
        return cleaned


class QuestionCategoryViewSet(SnippetViewSet):
    model = QuestionCategory
    icon = "folder-open-inverse"
    list_display = ["name", "code"]
    search_fields = ["name", "code"]


class QuestionViewSet(SnippetViewSet):
    model = Question
    icon = "help"
    edit_handler = ObjectList(Question.panels, base_form_class=QuestionForm)
    list_display = ["__str__", "category", "kind", "difficulty", "is_active"]
    list_filter = ["category", "kind", "difficulty", "is_active"]
    list_per_page = 50


class AssessmentViewSet(SnippetViewSet):
    model = Assessment
    icon = "list-ol"
    list_display = ["title", "time_limit_minutes", "attempts_allowed", "counting"]


class QuestionBankGroup(SnippetViewSetGroup):
    menu_label = _("Question bank")
    menu_icon = "help"
    menu_order = 250
    items = (QuestionViewSet, QuestionCategoryViewSet, AssessmentViewSet)
