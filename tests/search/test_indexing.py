"""Changes reach the index after commit, through a queue that survives a broker or an engine
being down; a rebuild replaces the index whole."""

import pytest
from django.core.management import call_command
from django.db import transaction
from wagtail.models import Page

from marketplace.models import Producer, Product
from marketplace.services.stock import stock_take
from search import services
from search.documents import NEWS, PRODUCER, PRODUCT, DocumentKey
from search.engines import EngineUnavailable
from search.engines.database import DatabaseEngine
from search.models import PendingChange, SearchEntry, SearchTerm
from search.services import index_pending_process, search_rebuild
from search.tasks import MAX_RETRIES, index_pending_task, retry_countdown
from tests.factories.marketplace import ProductFactory
from tests.factories.pages import ArticlePageFactory, NewsIndexPageFactory

pytestmark = pytest.mark.django_db


def entry(kind, pk):
    return SearchEntry.objects.filter(kind=kind, object_id=pk).first()


def test_a_saved_product_is_queued_then_indexed_after_commit(
    home, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        product = ProductFactory(name="Mật ong hoa dừa")
        assert PendingChange.objects.filter(kind=PRODUCT, object_id=product.pk).exists()
        assert entry(PRODUCT, product.pk) is None  # not before the commit
    indexed = entry(PRODUCT, product.pk)
    assert indexed.title == "Mật ong hoa dừa" and indexed.folded_title == "mat ong hoa dua"
    assert not PendingChange.objects.exists()
    assert SearchTerm.objects.filter(folded="mat ong", display="mật ong").exists()


def test_unpublishing_suspending_and_stock_reach_the_index(
    home, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        kept, hidden = ProductFactory(stock=5), ProductFactory()
    with django_capture_on_commit_callbacks(execute=True):
        stock_take(product_id=kept.pk, quantity=5)  # a bulk update: no post_save
    assert entry(PRODUCT, kept.pk).stock == 0
    with django_capture_on_commit_callbacks(execute=True):
        hidden.status = Product.Status.UNPUBLISHED
        hidden.save()
    assert entry(PRODUCT, hidden.pk) is None
    producer = kept.producer
    assert entry(PRODUCER, producer.pk) is not None
    with django_capture_on_commit_callbacks(execute=True):
        producer.status = Producer.Status.SUSPENDED
        producer.save()
    assert entry(PRODUCER, producer.pk) is None
    assert entry(PRODUCT, kept.pk) is None  # its products went with it


def test_pages_are_indexed_when_published_and_removed_when_not(
    home, django_capture_on_commit_callbacks
):
    news = NewsIndexPageFactory(parent=home)
    article = ArticlePageFactory(parent=news, title="Chữ ký số cho hộ kinh doanh")
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    assert entry(NEWS, article.pk).title == "Chữ ký số cho hộ kinh doanh"
    with django_capture_on_commit_callbacks(execute=True):
        article.unpublish()
    assert entry(NEWS, article.pk) is None
    with django_capture_on_commit_callbacks(execute=True):
        article.save_revision().publish()
    with django_capture_on_commit_callbacks(execute=True):
        Page.objects.get(pk=article.pk).delete()
    assert entry(NEWS, article.pk) is None


def test_the_save_succeeds_and_the_change_waits_while_the_engine_is_down(
    home, monkeypatch, django_capture_on_commit_callbacks
):
    def down(self, documents):
        raise EngineUnavailable("connection refused")

    monkeypatch.setattr(DatabaseEngine, "upsert", down)
    with django_capture_on_commit_callbacks(execute=True):
        product = ProductFactory(name="Bánh pía")  # must not raise
    assert Product.objects.filter(pk=product.pk).exists()
    change = PendingChange.objects.get(kind=PRODUCT, object_id=product.pk)
    assert change.attempts == 1
    monkeypatch.undo()
    assert index_pending_process().indexed >= 1
    assert entry(PRODUCT, product.pk).title == "Bánh pía"
    assert not PendingChange.objects.exists()


def test_the_task_retries_with_backoff_until_the_engine_is_back(home, monkeypatch):
    product = ProductFactory(name="Nước mắm")
    calls = {"n": 0}
    real = DatabaseEngine.upsert

    def flaky(self, documents):
        calls["n"] += 1
        if calls["n"] < 3:
            raise EngineUnavailable("timeout")
        return real(self, documents)

    monkeypatch.setattr(DatabaseEngine, "upsert", flaky)
    result = index_pending_task.apply()
    assert result.successful(), result.traceback
    assert calls["n"] == 3
    assert entry(PRODUCT, product.pk) is not None
    assert [retry_countdown(n) for n in range(MAX_RETRIES + 1)] == [
        2, 4, 8, 16, 32, 64, 128, 256, 300
    ]  # fmt: skip


def test_the_task_gives_up_after_its_retries_and_the_change_stays_queued(home, monkeypatch):
    product = ProductFactory(name="Nước mắm")
    calls = {"n": 0}

    def down(self, documents):
        calls["n"] += 1
        raise EngineUnavailable("timeout")

    monkeypatch.setattr(DatabaseEngine, "upsert", down)
    with pytest.raises(EngineUnavailable):  # run in-process, the last error propagates
        index_pending_task.apply()
    assert calls["n"] == MAX_RETRIES + 1
    assert PendingChange.objects.filter(kind=PRODUCT, object_id=product.pk).exists()


def test_a_change_queued_again_while_indexing_stays_queued(home, monkeypatch):
    product = ProductFactory()
    real = services.documents_for

    def concurrent_change(keys):
        result = real(keys)
        services.index_changed(keys=[DocumentKey(PRODUCT, product.pk)])  # saved meanwhile
        return result

    monkeypatch.setattr(services, "documents_for", concurrent_change)
    index_pending_process(limit=1)
    assert PendingChange.objects.filter(kind=PRODUCT, object_id=product.pk).exists()


@pytest.fixture
def with_broker(monkeypatch):
    """Pretend a broker is configured: tasks are sent, not run in-process."""
    monkeypatch.setattr(services, "_tasks_run_in_process", lambda: False)
    sent = []
    monkeypatch.setattr(index_pending_task, "apply_async", lambda *a, **kw: sent.append(kw) or None)
    return sent


def test_changes_close_together_share_one_task(home, with_broker):
    for name in ("Một", "Hai", "Ba"):
        with transaction.atomic():
            ProductFactory(name=name)
        services._schedule()  # what on_commit runs
    assert with_broker == [{"countdown": services.DEBOUNCE_SECONDS}]
    assert PendingChange.objects.count() >= 3


def test_a_broker_that_is_down_loses_nothing(home, monkeypatch):
    monkeypatch.setattr(services, "_tasks_run_in_process", lambda: False)

    def refuse(*args, **kwargs):
        raise ConnectionRefusedError("broker down")

    monkeypatch.setattr(index_pending_task, "apply_async", refuse)
    product = ProductFactory()
    services._schedule()  # does not raise
    assert PendingChange.objects.filter(kind=PRODUCT, object_id=product.pk).exists()
    monkeypatch.undo()
    call_command("search_index", "--pending")
    assert entry(PRODUCT, product.pk) is not None


def test_rebuild_command_reports_counts_and_time(home, capsys):
    ProductFactory(name="Gạo ST25")
    call_command("search_index", "--rebuild", "--skip-admin")
    out = capsys.readouterr().out
    assert "Indexed 2 document(s) (product: 1, producer: 1)" in out
    assert "documents/s" in out
    call_command("search_index")
    report = capsys.readouterr().out
    assert "product: 1" in report and "Queued changes: 0" in report


def test_a_failed_rebuild_keeps_the_old_index(home, monkeypatch):
    product = ProductFactory(name="Gạo ST25")
    search_rebuild()
    ProductFactory(name="Bánh tét")

    def broken():
        yield from []
        raise RuntimeError("the database went away mid-rebuild")

    monkeypatch.setattr(services, "documents_all", broken)
    with pytest.raises(RuntimeError):
        search_rebuild()
    assert list(SearchEntry.objects.filter(kind=PRODUCT).values_list("object_id", flat=True)) == [
        product.pk
    ]


def test_a_renamed_product_is_found_by_its_new_name_only(home, django_capture_on_commit_callbacks):
    engine = DatabaseEngine()
    with django_capture_on_commit_callbacks(execute=True):
        product = ProductFactory(name="Bánh phồng tôm")
    assert engine.counts(["banh", "phong"]) == {PRODUCT: 1}
    with django_capture_on_commit_callbacks(execute=True):
        product.name = "Mắm tép chưng thịt"
        product.save()
    assert engine.counts(["banh", "phong"]) == {}
    assert engine.counts(["mam", "tep"]) == {PRODUCT: 1}
    assert SearchEntry.objects.filter(kind=PRODUCT, object_id=product.pk).count() == 1
