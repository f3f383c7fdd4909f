"""Admin screen to import a question bank from an Excel or CSV file, and its templates."""

from django import forms
from django.http import HttpResponse
from django.shortcuts import redirect
from django.template.response import TemplateResponse
from django.urls import path, reverse
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_GET, require_http_methods
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.auth import permission_required
from wagtail.admin.menu import MenuItem

from ..services.bank_import import (
    MAX_FILE_SIZE,
    MAX_ROWS,
    TEMPLATE_FILE_STEM,
    question_bank_import,
    question_bank_template_csv,
    question_bank_template_xlsx,
)
from .responses import XLSX_CONTENT_TYPE, download_response

PERMISSION = "quizzes.add_question"
# A report longer than this is cut on screen; the count of hidden problems is shown.
PROBLEMS_SHOWN = 500


class QuestionBankImportForm(forms.Form):
    file = forms.FileField(
        label=_("File"),
        help_text=_("An Excel (.xlsx) or CSV (UTF-8) file in the template's format, at most 5 MB."),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
        # An empty file is reported by the importer, like any other unusable file.
        allow_empty_file=True,
    )


@permission_required(PERMISSION)
@require_http_methods(["GET", "POST"])
def bank_import_view(request):
    if request.method != "POST":
        context = {"form": QuestionBankImportForm(), "max_rows": MAX_ROWS}
        return TemplateResponse(request, "quizzes/admin/bank_import.html", context)
    form = QuestionBankImportForm(request.POST, request.FILES)
    context = {"form": form, "max_rows": MAX_ROWS}
    if not form.is_valid():
        return TemplateResponse(request, "quizzes/admin/bank_import.html", context, status=400)
    upload = form.cleaned_data["file"]
    # One byte past the limit is enough for the service to refuse an oversized file.
    content = upload.read(MAX_FILE_SIZE + 1)
    result = question_bank_import(file_name=upload.name, content=content)
    if result.ok:
        messages.success(
            request,
            gettext("Questions imported: %(count)s.") % {"count": result.created},
        )
        return redirect("wagtailsnippets_quizzes_question:list")
    context |= {
        "file_name": upload.name,
        "problems": result.problems[:PROBLEMS_SHOWN],
        "problem_count": len(result.problems),
        "hidden_count": max(len(result.problems) - PROBLEMS_SHOWN, 0),
    }
    return TemplateResponse(request, "quizzes/admin/bank_import.html", context, status=400)


def _download(content: bytes, *, extension: str, content_type: str) -> HttpResponse:
    return download_response(
        content, filename=f"{TEMPLATE_FILE_STEM}.{extension}", content_type=content_type
    )


@permission_required(PERMISSION)
@require_GET
def bank_import_template_xlsx_view(request):
    return _download(
        question_bank_template_xlsx(), extension="xlsx", content_type=XLSX_CONTENT_TYPE
    )


@permission_required(PERMISSION)
@require_GET
def bank_import_template_csv_view(request):
    return _download(
        question_bank_template_csv(), extension="csv", content_type="text/csv; charset=utf-8"
    )


@hooks.register("register_admin_urls")
def register_bank_import_urls():
    return [
        path("quizzes/import/", bank_import_view, name="quizzes_bank_import"),
        path(
            "quizzes/import/template.xlsx",
            bank_import_template_xlsx_view,
            name="quizzes_bank_import_template_xlsx",
        ),
        path(
            "quizzes/import/template.csv",
            bank_import_template_csv_view,
            name="quizzes_bank_import_template_csv",
        ),
    ]


class BankImportMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(PERMISSION)


@hooks.register("register_admin_menu_item")
def register_bank_import_menu_item():
    return BankImportMenuItem(
        _("Import questions"),
        reverse("quizzes_bank_import"),
        name="quizzes-bank-import",
        icon_name="upload",
        order=251,
    )
