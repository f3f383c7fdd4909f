"""Bench data, written straight to the database (never through HTTP).

News: makes the news section hold exactly n live articles (the demo seed makes 12).
Contests: a question bank, a contest with one round, and users, registrations, attempts and
standings in bulk (bulk_create, or PostgreSQL COPY for the large ranking tables).
Marketplace: the administrative units and verified producers (the products are each benchmark's).
"""

import datetime
from collections.abc import Iterable

from django.contrib.auth import get_user_model
from django.contrib.auth.hashers import make_password
from django.db import connection, transaction
from django.db.models import DateTimeField
from django.utils import timezone
from psycopg import sql
from wagtail.images import get_image_model
from wagtail.models import Site

from portal.news.models import ArticleCategory, ArticlePage, NewsIndexPage
from quizzes.models import (
    Assessment,
    Choice,
    ContestIndexPage,
    ContestPage,
    DrawRule,
    Question,
    QuestionCategory,
    Registration,
    Round,
)

# Added articles form an archive older than every seeded one (the oldest is dated 2026-09-03).
ARCHIVE_START = datetime.date(2026, 9, 1)


def articles_live():
    return ArticlePage.objects.live().order_by("path")


@transaction.atomic
def articles_set_count(n: int) -> None:
    """Deletes the most recently created articles, or adds archive articles, until n are live."""
    for page in reversed(list(articles_live()[n:])):
        page.delete()
    have = articles_live().count()
    if have < n:
        articles_add(range(have + 1, n + 1))


def articles_add(numbers) -> None:
    """Adds live articles directly (no revisions), reusing the seeded categories and banners."""
    index = NewsIndexPage.objects.get()
    categories = list(ArticleCategory.objects.order_by("pk"))
    images = list(get_image_model().objects.order_by("pk"))
    tz = timezone.get_current_timezone()
    for i in numbers:
        day = ARCHIVE_START - datetime.timedelta(days=i // 3)
        published = datetime.datetime.combine(day, datetime.time(8, i % 60), tzinfo=tz)
        article = ArticlePage(
            title=f"Bài viết thử nghiệm số {i}",
            slug=f"bai-viet-thu-nghiem-so-{i}",
            lead=f"Tin thử nghiệm số {i} về chuyển đổi số, dịch vụ công trực tuyến và kinh tế số.",
            body=[
                ("heading", {"text": "Kết quả triển khai", "level": "h2"}),
                ("paragraph", f"<p>Nội dung bài viết thử nghiệm số {i} về chuyển đổi số.</p>"),
            ],
            category=categories[i % len(categories)] if categories else None,
            featured_image=images[i % len(images)] if images else None,
            publish_date=day,
            author="Ban Biên tập",
            live=True,
            first_published_at=published,
            last_published_at=published,
        )
        article.tags.add("thử nghiệm")
        index.add_child(instance=article)


def article_sample() -> ArticlePage:
    """The first seeded article: it is live whatever the article count."""
    return articles_live().first()


# Contests -------------------------------------------------------------------------------------


def question_bank_create(n: int, choices: int = 4) -> None:
    """n single-choice questions in one category, each with one correct answer of `choices`."""
    category, _created = QuestionCategory.objects.get_or_create(
        code="bench", defaults={"name": "Chuyển đổi số (thử tải)"}
    )
    questions = Question.objects.bulk_create(
        Question(
            category=category,
            text=f"Câu hỏi thử tải số {i} về chuyển đổi số?",
            explanation="Theo Quyết định 749/QĐ-TTg.",
        )
        for i in range(n)
    )
    Choice.objects.bulk_create(
        Choice(question=q, text=f"Đáp án {j + 1}", is_correct=j == i % choices, sort_order=j)
        for i, q in enumerate(questions)
        for j in range(choices)
    )


def contest_create(
    *,
    slug: str,
    draw: int,
    opens_at: datetime.datetime,
    closes_at: datetime.datetime,
    attempts_allowed: int = 1,
    time_limit_minutes: int = 60,
    prediction_prompt: str = "",
) -> Round:
    """A live contest page (under the one contest index, made if missing) with one round whose
    test draws `draw` questions from the whole bank."""
    index = ContestIndexPage.objects.first()
    if index is None:
        home = Site.objects.get(is_default_site=True).root_page
        index = home.add_child(instance=ContestIndexPage(title="Cuộc thi", slug="cuoc-thi"))
    contest = index.add_child(
        instance=ContestPage(
            title=f"Cuộc thi thử tải {slug}",
            slug=slug,
            intro="Cuộc thi trực tuyến dành cho cán bộ và người dân.",
        )
    )
    assessment = Assessment.objects.create(
        title=f"Đề thi {slug}",
        time_limit_minutes=time_limit_minutes,
        attempts_allowed=attempts_allowed,
        counting=Assessment.Counting.BEST,
    )
    DrawRule.objects.create(assessment=assessment, count=draw, sort_order=0)
    return Round.objects.create(
        contest=contest,
        title="Tuần 1",
        opens_at=opens_at,
        closes_at=closes_at,
        assessment=assessment,
        prediction_prompt=prediction_prompt,
        sort_order=0,
    )


def users_create(n: int, prefix: str) -> list:
    """n active users sharing one password hash (hashing each would take minutes)."""
    password = make_password(None)  # unusable: these accounts never sign in through the form
    user_model = get_user_model()
    return user_model.objects.bulk_create(
        (
            user_model(
                email=f"{prefix}{i}@example.vn",
                full_name=f"Thí sinh {prefix} {i}",
                phone=f"09{i:08d}",
                password=password,
            )
            for i in range(n)
        ),
        batch_size=2000,
    )


def signed_in_sessions(users: list) -> list[str]:
    """A session key per user, signed in as the login view would leave it."""
    from importlib import import_module

    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    store_class = import_module(settings.SESSION_ENGINE).SessionStore
    keys = []
    for user in users:
        store = store_class()
        store[SESSION_KEY] = str(user.pk)
        store[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
        store[HASH_SESSION_KEY] = user.get_session_auth_hash()
        store.create()
        keys.append(store.session_key)
    return keys


def registrations_create(round_: Round, users: list) -> list[Registration]:
    now = timezone.now()
    return Registration.objects.bulk_create(
        (
            Registration(
                contest_id=round_.contest_id,
                user=user,
                full_name=user.full_name,
                phone=user.phone,
                email=user.email,
                audience=Registration.Audience.CITIZEN,
                consent_text="Tôi đồng ý.",
                consented_at=now,
            )
            for user in users
        ),
        batch_size=2000,
    )


# PostgreSQL COPY, for tables too large for bulk_create ----------------------------------------


def ids_reserve(model, n: int) -> range:
    """Takes n ids from the table's sequence, so rows can be copied with their ids known."""
    table, column = model._meta.db_table, model._meta.pk.column
    with connection.cursor() as cursor:
        cursor.execute("SELECT pg_get_serial_sequence(%s, %s)", [table, column])
        (sequence,) = cursor.fetchone()
        cursor.execute("SELECT setval(%s, nextval(%s) + %s - 1)", [sequence, sequence, n])
        (last,) = cursor.fetchone()
    return range(last - n + 1, last + 1)


def copy_rows(model, fields: list[str], rows: Iterable[tuple], **constants) -> None:
    """COPYs rows of plain values for `fields` (attnames, e.g. "user_id") into model's table.

    `constants` (by attname) are the same in every row; every other column gets its field's
    default, evaluated once (auto_now(_add): now). Pass unique values (ids, uuids) per row.
    """
    opts = model._meta
    given = [opts.get_field(name) for name in fields]
    extra = []
    for field in opts.concrete_fields:
        if field in given or (field.primary_key and field.attname not in constants):
            continue
        if field.attname in constants:
            value = constants[field.attname]
        elif isinstance(field, DateTimeField) and (field.auto_now or field.auto_now_add):
            value = timezone.now()
        else:
            value = field.get_default()
        extra.append((field, field.get_db_prep_save(value, connection)))
    columns = [f.column for f in given] + [f.column for f, _ in extra]
    tail = tuple(value for _, value in extra)
    statement = sql.SQL("COPY {} ({}) FROM STDIN").format(
        sql.Identifier(opts.db_table), sql.SQL(", ").join(map(sql.Identifier, columns))
    )
    with connection.cursor() as cursor, cursor.cursor.copy(statement) as copy:
        for row in rows:
            copy.write_row(row + tail)


# Marketplace ----------------------------------------------------------------------------------


def marketplace_places(province_codes: list[int]) -> list[tuple[int, int]]:
    """Loads the 2025 administrative units; (province code, commune code) pairs, a few communes
    of each province in `province_codes`."""
    from portal.locations.models import Commune
    from portal.locations.services import administrative_units_load

    administrative_units_load()
    places = []
    for code in province_codes:
        communes = Commune.objects.filter(province_id=code).order_by("code")[:8]
        places += [(code, commune) for commune in communes.values_list("code", flat=True)]
    return places


def producers_create(n: int, places: list[tuple[int, int]], prefix: str, rng=None) -> list:
    """n verified producers with a VietQR account, each in one of `places` (at random with `rng`,
    otherwise in turn)."""
    from marketplace.models import Producer

    kinds = [
        (Producer.Kind.COOPERATIVE, "Hợp tác xã"),
        (Producer.Kind.ENTERPRISE, "Công ty TNHH"),
        (Producer.Kind.HOUSEHOLD, "Hộ kinh doanh"),
        (Producer.Kind.COOPERATIVE_GROUP, "Tổ hợp tác"),
    ]
    now = timezone.now()
    producers = []
    for i in range(n):
        province, commune = rng.choice(places) if rng else places[i % len(places)]
        kind, title = kinds[i % len(kinds)]
        producers.append(
            Producer(
                name=f"{title} nông sản {prefix} {i + 1}",
                slug=f"{prefix}-chu-the-{i + 1}",
                kind=kind,
                province_id=province,
                commune_id=commune,
                street_address=f"Ấp {i % 12 + 1}",
                phone=f"09{i:08d}",
                email=f"{prefix}-chu-the-{i + 1}@example.vn",
                description="Chủ thể OCOP thử tải.",
                bank_bin="970436",  # Vietcombank
                bank_account_number=f"10{i:08d}",
                bank_account_name=f"CHU THE {i + 1}",
                status=Producer.Status.VERIFIED,
                verified_at=now,
            )
        )
    return Producer.objects.bulk_create(producers, batch_size=1000)
