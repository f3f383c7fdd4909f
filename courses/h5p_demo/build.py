"""Build a `.h5p` package of CDS.ChoiceQuiz in memory: h5p.json, content/content.json and the
library folder, in the layout our own validator (and H5P core) expects."""

from __future__ import annotations

import io
import json
import zipfile
from pathlib import Path

DEMO_LIBRARY = {"machineName": "CDS.ChoiceQuiz", "majorVersion": 1, "minorVersion": 0}
LIBRARY_FOLDER = "CDS.ChoiceQuiz-1.0"
LIBRARY_SOURCE = Path(__file__).resolve().parent / "library" / LIBRARY_FOLDER

DEFAULT_TEXTS = {
    "correctText": "Chính xác!",
    "wrongText": "Chưa đúng.",
    "resultText": "Kết quả: đúng :score/:total câu.",
}


def _question(question: dict) -> dict:
    answers = [str(answer) for answer in question["answers"]]
    correct = int(question.get("correct", 0))
    if len(answers) < 2 or not 0 <= correct < len(answers):
        raise ValueError("A question needs at least two answers and a correct index among them.")
    return {"text": str(question["text"]), "answers": answers, "correct": correct}


def h5p_demo_package_build(
    *, title: str, questions: list[dict], language: str = "vi", intro: str = ""
) -> bytes:
    """A valid `.h5p` file (bytes) of a CDS.ChoiceQuiz with the given questions.

    Each question is {"text": str, "answers": [str, ...], "correct": index}.
    """
    if not questions:
        raise ValueError("A quiz needs at least one question.")
    h5p_json = {
        "title": title,
        "language": language,
        "mainLibrary": DEMO_LIBRARY["machineName"],
        "embedTypes": ["iframe"],
        "license": "U",
        "preloadedDependencies": [DEMO_LIBRARY],
    }
    content = {"intro": intro, "questions": [_question(q) for q in questions], **DEFAULT_TEXTS}
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression=zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("h5p.json", json.dumps(h5p_json, ensure_ascii=False, indent=2))
        archive.writestr("content/content.json", json.dumps(content, ensure_ascii=False, indent=2))
        for path in sorted(LIBRARY_SOURCE.iterdir()):
            if path.is_file():
                archive.write(path, f"{LIBRARY_FOLDER}/{path.name}")
    return buffer.getvalue()
