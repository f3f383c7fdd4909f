"""The news section's two-step moderation workflow: names shared by the migration and services."""

EDITORS_GROUP = "Editors"
MODERATORS_GROUP = "Moderators"
NEWS_WORKFLOW_NAME = "Quy trình duyệt tin bài (2 bước)"
NEWS_WORKFLOW_TASKS = (
    "Bước 1: Thư ký biên tập kiểm tra nội dung",
    "Bước 2: Trưởng ban biên tập phê duyệt xuất bản",
)
