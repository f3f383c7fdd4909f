import datetime

import pytest
from django.template import Context, Template
from django.utils import translation

from portal.core.money import format_vnd


@pytest.mark.parametrize(
    ("amount", "shown"),
    [(1_250_000, "1.250.000 ₫"), (0, "0 ₫"), (999, "999 ₫"), (-50_000, "-50.000 ₫"), (None, "")],
)
def test_vnd_format(amount, shown):
    assert format_vnd(amount) == shown


def test_dates_are_day_month_year_in_both_languages():
    template = Template('{{ d|date:"SHORT_DATE_FORMAT" }}')
    for language in ("vi", "en"):
        with translation.override(language):
            assert template.render(Context({"d": datetime.date(2026, 3, 9)})) == "09/03/2026"


def test_vnd_filter_in_templates():
    rendered = Template("{% load portal_tags %}{{ price|vnd }}").render(Context({"price": 85000}))
    assert rendered == "85.000 ₫"
