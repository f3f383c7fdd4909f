from wagtail.snippets.models import register_snippet

from .admin import audit, bank_import, statistics  # noqa: F401 - they register their own hooks
from .admin.snippets import QuestionBankGroup

register_snippet(QuestionBankGroup)
