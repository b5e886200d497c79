"""`reply` and `classify` through the real entry point (the CLI contract in DESIGN.md)."""

from __future__ import annotations

import json

import pytest
from sample_data import insert_sample

OOO = "Automatic reply: I am out of the office until 1 December 2026. I will reply when I am back."


@pytest.fixture
def db(open_test_services, db_path):
    svc = open_test_services(db_path)
    insert_sample(svc.store.db)
    svc.close()
    return db_path


def due(run_cli, db) -> set[str]:
    result = run_cli("--db", db, "list", "--due", "--json")
    assert result.code == 0, result.err
    return {c["domain"] for c in json.loads(result.out)}


def test_classify_reads_one_reply_a_line_and_prints_one_label_a_line(run_cli, isolated_env):
    lines = [
        "Yes, let's set up a call next week. Does Tuesday work?",
        "How much does this cost per month?",
        "No thanks, we are not interested.",
        "Please unsubscribe me from this list.",
        "I'm out of the office until Monday.",
        "",
    ]
    result = run_cli("classify", "--offline", "-", input="\n".join(lines) + "\n")
    assert result.code == 0 and result.err == ""
    assert result.out.splitlines() == ["positive", "asked_for_info", "negative", "negative",
                                       "neutral", "neutral"]
    assert not isolated_env.default_db.exists()  # no database needed, none created


def test_classify_one_text_argument(run_cli):
    assert run_cli("classify", "--offline", "Stop emailing me.") == (0, "negative\n", "")


def test_classify_failure_prints_unlabelled_and_exits_1(run_cli, monkeypatch):
    from leadletter_tui.ai.interfaces import AI
    from leadletter_tui.ai.offline.adapters import offline_ai
    from leadletter_tui.services import replies

    class Flaky:
        async def classify(self, text, *, today=None):
            if "boom" in text:
                raise RuntimeError("Claude did not answer (timed out after 30 s)")
            return await offline_ai().classifier.classify(text, today=today)

    base = offline_ai()
    monkeypatch.setattr(replies, "choose_ai", lambda settings, offline: AI(
        "Claude", base.researcher, base.categoriser, base.writer, Flaky()))
    result = run_cli("classify", "-", input="Great, call me tomorrow!\nboom\nNo thanks.\n")
    assert result.code == 1
    assert result.out.splitlines() == ["positive", "unlabelled", "negative"]
    assert result.err_lines == ["leadletter: error: line 2 not classified: Claude did not answer "
                                "(timed out after 30 s)"]


def test_reply_records_classifies_and_prints_the_contract_json(run_cli, db):
    result = run_cli("--db", db, "reply", "foxhound.de", "--text",
                     "Sounds great, can we talk Thursday at 10?", "--offline", "--json")
    assert result.code == 0, result.err
    assert json.loads(result.out) == {"domain": "foxhound.de", "status": "replied",
                                      "sentiment": "positive", "do_not_contact": False}
    shown = json.loads(run_cli("--db", db, "show", "foxhound.de", "--json").out)
    assert [(r["text"], r["sentiment"]) for r in shown["replies"]] == [
        ("Sounds great, can we talk Thursday at 10?", "positive")]


def test_reply_from_stdin_keeps_lines_and_ignores_the_quoted_original(run_cli, db):
    text = ("No thanks, not for us.\n\nOn Mon, 16 Nov 2026 at 09:00, Me <me@x.example> wrote:\n"
            "> Would you like a call? Let's talk!\n")
    result = run_cli("--db", db, "reply", "foxhound.de", "-", "--offline", "--json", input=text)
    assert result.code == 0, result.err
    assert json.loads(result.out)["sentiment"] == "negative"


def test_unsubscribe_reply_marks_do_not_contact(run_cli, db):
    result = run_cli("--db", db, "reply", "foxhound.de", "--text",
                     "Remove me from your list and stop emailing me.", "--offline", "--json")
    assert json.loads(result.out) == {"domain": "foxhound.de", "status": "replied",
                                      "sentiment": "negative", "do_not_contact": True}
    listed = json.loads(run_cli("--db", db, "list", "--json").out)
    assert {c["domain"]: c["do_not_contact"] for c in listed}["foxhound.de"] is True


def test_out_of_office_snoozes_until_the_day_after_the_return_date(run_cli, db, monkeypatch):
    assert "foxhound.de" in due(run_cli, db)
    result = run_cli("--db", db, "reply", "foxhound.de", "--text", OOO, "--offline")
    assert result.code == 0, result.err
    assert result.out.splitlines() == [
        "foxhound.de: sent · neutral (out-of-office note, back 2026-12-01)",
        "  out of office: follow-ups wait until 2026-12-02"]
    assert "foxhound.de" not in due(run_cli, db)
    monkeypatch.setenv("LEADLETTER_NOW", "2026-12-01T18:00:00")
    assert "foxhound.de" not in due(run_cli, db)
    monkeypatch.setenv("LEADLETTER_NOW", "2026-12-02T09:00:00")
    assert "foxhound.de" in due(run_cli, db)


@pytest.mark.parametrize("args, message", [
    ((), "give the reply as --text TEXT or -"),
    (("--text", "hi", "-"), "give the reply as --text TEXT or -"),
    (("--text", "   "), "Invalid value for '--text': empty value"),  # every option (issue 12)
])
def test_reply_bad_input_is_one_line_and_exit_2(run_cli, db, args, message):
    result = run_cli("--db", db, "reply", "foxhound.de", *args, "--offline")
    assert result.code == 2 and result.out == ""
    assert len(result.err_lines) == 1 and message in result.err


def test_reply_to_an_unknown_contact_is_exit_2(run_cli, db):
    result = run_cli("--db", db, "reply", "nobody.example", "--text", "hello", "--offline")
    assert result.code == 2
    assert result.err_lines == ["leadletter: error: no contact with domain 'nobody.example'"]


def test_reply_saved_even_when_classification_fails(run_cli, db, monkeypatch):
    from leadletter_tui.ai.interfaces import AI
    from leadletter_tui.ai.offline.adapters import offline_ai
    from leadletter_tui.services import replies

    class Down:
        async def classify(self, text, *, today=None):
            raise RuntimeError("Claude rejected the API key (401)")

    base = offline_ai()
    monkeypatch.setattr(replies, "choose_ai", lambda settings, offline: AI(
        "Claude", base.researcher, base.categoriser, base.writer, Down()))
    result = run_cli("--db", db, "reply", "foxhound.de", "--text", "Yes please!", "--json")
    assert result.code == 1
    assert json.loads(result.out) == {"domain": "foxhound.de", "status": "replied",
                                      "sentiment": None, "do_not_contact": False}
    assert result.err_lines == ["leadletter: error: reply from foxhound.de saved but not "
                                "classified: Claude rejected the API key (401)"]
