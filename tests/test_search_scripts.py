"""Search in every script (issue 21), on a real build of a small help center in Japanese,
Chinese, Arabic and Hebrew, through the real worker in Chromium: Chinese and Japanese are
found by words typed without spaces (character bigrams, the same at index and query time);
Arabic harakat and Hebrew niqqud are folded, on either side, and never split a word."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from conftest import ask_worker, mkdocs

pytestmark = pytest.mark.browser

MKDOCS = """\
site_name: Scripts
site_url: https://scripts.example/
theme:
  name: material
plugins:
  - search
  - i18n:
      docs_structure: suffix
      reconfigure_search: false
      languages:
        - {locale: en, default: true, name: English}
        - {locale: ja, name: 日本語}
        - {locale: zh, name: 中文}
        - {locale: ar, name: العربية}
        - {locale: he, name: עברית}
  - helpglot
"""

ARTICLES = {
    "en": {"sync": ("Bank sync errors",
                    "If your bank account fails to sync, reconnect it. Sync runs every day."),
           "invoice": ("Send your first invoice", "Create an invoice and send it to your customer."),
           "password": ("Reset your password", "Choose a new password from the sign-in page."),
           "export": ("Export your data", "Download a CSV export of invoices and payments.")},  # English only
    "ja": {"sync": ("銀行の同期エラー",
                    "銀行口座の同期に失敗した場合は、接続をやり直してください。同期は毎日自動で行われます。"),
           "invoice": ("最初の請求書を送信する", "請求書を作成して顧客に送信します。"),
           "password": ("パスワードの再設定", "ログイン画面から新しいパスワードを選んでください。")},
    "zh": {"sync": ("银行同步错误", "如果银行账户同步失败，请重新连接。同步每天自动进行。"),
           "invoice": ("发送第一张发票", "创建发票并发送给客户。"),
           "password": ("重置密码", "在登录页面选择新密码。")},
    "ar": {"sync": ("أخطاء مزامنة البنك",
                    "إذا فشلت مزامنة حسابك المصرفي، أعد الاتصال. المكوّن الإضافي يعمل تلقائيا."),
           "invoice": ("إرسال فاتورتك الأولى", "أنشئ فاتورة وأرسلها إلى العميل."),
           "password": ("إعادة تعيين كَلِمَة المرور", "اختر كلمة مرور جديدة من صفحة تسجيل الدخول.")},
    "he": {"sync": ("שגיאות סנכרון בנק", "אם הסנכרון של חשבון הבנק נכשל, התחברו מחדש."),
           "invoice": ("שליחת החשבונית הראשונה", "צרו חשבונית ושלחו אותה ללקוח."),
           "password": ("איפוס הסִיסְמָה", "בחרו סיסמה חדשה בדף הכניסה.")},
}
#: (language, query as a reader types it, the article it must find first)
QUERIES = [
    ("ja", "同期", "sync"), ("ja", "同期できない", "sync"), ("ja", "請求書を送りたい", "invoice"),
    ("ja", "パスワード", "password"),
    ("zh", "同步", "sync"), ("zh", "无法同步银行", "sync"), ("zh", "怎么发送发票", "invoice"),
    ("zh", "密码", "password"),
    ("ar", "مُزَامَنَة", "sync"), ("ar", "مكون", "sync"), ("ar", "مُكَوِّن", "sync"), ("ar", "كلمة المرور", "password"),
    ("ar", "فاتورة", "invoice"),
    ("he", "סיסמה", "password"), ("he", "סִנְכְּרוּן", "sync"), ("he", "חשבונית", "invoice"),
]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("scripts")
    (root / "mkdocs.yml").write_text(MKDOCS, encoding="utf-8")
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("---\ntitle: Home\n---\n\nWelcome.\n", encoding="utf-8")
    for lang, pages in ARTICLES.items():
        folder = root / ("docs" if lang == "en" else f"translations/{lang}")
        folder.mkdir(parents=True, exist_ok=True)
        for name, (title, text) in pages.items():
            body = textwrap.dedent(f"""\
                ---
                title: {json.dumps(title, ensure_ascii=False)}
                ---

                {text}

                ## {title}

                {text}
                """)
            (folder / f"{name}.md").write_text(body, encoding="utf-8")
    mkdocs("build", cwd=root)
    return root / "site"


def ask(page_factory, site: Path, lang: str, queries: list[str]) -> list[dict]:
    config = json.loads((site / lang / "search" / "search_index.json").read_text(encoding="utf-8"))["config"]
    assert config.get("helpglot"), "the chunked index is the default"
    worker = "../assets/javascripts/workers/helpglot-search.js"
    return ask_worker(page_factory, site, f"{lang}/", worker, config, queries)


@pytest.mark.parametrize("lang", ["ja", "zh", "ar", "he"])
def test_each_script_finds_its_article_first(built: Path, page_factory, lang: str):
    rows = [(q, expect) for code, q, expect in QUERIES if code == lang]
    replies = ask(page_factory, built, lang, [q for q, _ in rows])
    failures = []
    for (q, expect), reply in zip(rows, replies, strict=True):
        firsts = [group[0]["location"] for group in reply["items"]]
        if not firsts or not firsts[0].startswith(f"{expect}/"):
            failures.append(f"{q!r}: expected {expect}/ first, got {firsts}")
        missing = [term for group in reply["items"][:1] for item in group
                   for term, ok in item["terms"].items() if not ok]
        if missing:
            failures.append(f"{q!r}: the article that answers says {missing} missing")
    assert not failures, "\n".join(failures)


def test_cjk_is_indexed_as_bigrams_and_marks_stay_inside_words(built: Path):
    """What the shards hold: bigrams for Japanese (no key is a whole run of kana and kanji),
    Arabic words whole and without harakat (the shadda of مكوّن neither splits nor stays)."""
    def keys(lang: str) -> set[str]:
        found: set[str] = set()
        for shard in (built / lang / "search" / "t").glob("*.json"):
            found |= set(json.loads(shard.read_text(encoding="utf-8")))
        return found

    ja = keys("ja")
    assert "同期" in ja and "銀行" in ja
    assert not [key for key in ja if len(key) > 2 and all("\u3040" <= ch <= "\u9fff" for ch in key)]
    ar = keys("ar")
    assert "المكون" in ar and "كلمة" in ar
    assert not [key for key in ar if key[:1] != "=" and any("\u064b" <= ch <= "\u065f" for ch in key)]
    assert "=المكون|المكوّن" in ar  # (the spelling as written ranks a query typed so first)


def test_english_on_a_right_to_left_page_lays_out_left_to_right(built: Path, page_factory):
    """An article Arabic shows in English: the page's English part is lang="en" with its own
    direction, and so is its search result (issue 21: periods and list numbers on the right side)."""
    html = (built / "ar" / "export" / "index.html").read_text(encoding="utf-8")
    assert re.search(r'<html [^>]*lang="ar" class="no-js" dir="rtl">', html)
    assert 'lang="en" dir="auto" class="helpglot-fallback"' in html
    reply = ask(page_factory, built, "ar", ["export"])[0]
    first = reply["items"][0][0]
    assert first["location"].startswith("export/") and 'lang="en" dir="ltr"' in first["title"], first


def test_an_arabic_word_is_not_corrected_onto_another_real_word(built: Path, page_factory):
    """Arabic writes no short vowels, so a five-letter word one letter off another is usually a
    different word: "العمل" (work) is not turned into "العميل" (the customer) of the invoice article,
    while a six-letter typo still is ("فاتوره" for "فاتورة", the final ha for ta marbuta)."""
    work, typo = ask(page_factory, built, "ar", ["العمل", "فاتوره"])
    assert not work["items"] and not work["helpglot"]["corrected"], work
    assert typo["items"] and typo["items"][0][0]["location"].startswith("invoice/"), typo


def test_a_katakana_word_is_one_word_not_its_bigrams(built: Path, page_factory):
    """"ワードプレス" (WordPress, in no article) shares the bigrams ワー and ード with パスワード
    (password): a page must hold at least half of a katakana run's bigrams to say the word,
    so nothing answers, while パスワード still finds its article."""
    other, password = ask(page_factory, built, "ja", ["ワードプレス", "パスワードを忘れた"])
    assert not other["items"], other
    assert password["items"][0][0]["location"].startswith("password/"), password
