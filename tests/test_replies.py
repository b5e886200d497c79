"""Replies on a temp SQLite file: saved before classification, labels, corrections, the
operational signals (unsubscribe, out of office, referral), failures, and the v5 upgrade.
Classification uses the offline bundle (the Claude classifier is tested in test_claude*)."""

from __future__ import annotations

import sqlite3
from datetime import datetime

import pytest
from sample_data import insert_sample
from test_store import V1_SCHEMA

from leadletter_tui.domain.model import EventKind, Sentiment, Status
from leadletter_tui.domain.reply_text import MAX_REPLY_CHARS
from leadletter_tui.errors import UserError
from leadletter_tui.services.replies import ReplyService
from leadletter_tui.store.db import LATEST

OOO = ("Automatic reply: I am out of the office until Tuesday 1 December 2026 with no "
       "access to email. I will reply when I am back.")


@pytest.fixture
def svc(services):
    insert_sample(services.store.db)
    return services


def due_domains(services) -> set[str]:
    flt = services.contacts.make_filter(due=True)
    return {r.domain for r in services.contacts.rows(flt, services.contacts.make_sort(None, flt))}


class FailingClassifier:
    async def classify(self, text, *, today=None):
        raise RuntimeError("Claude is overloaded (529), gave up after 3 tries")


def failing_ai(monkeypatch, replies: ReplyService) -> None:
    from leadletter_tui.ai.interfaces import AI
    from leadletter_tui.ai.offline.adapters import offline_ai

    bundle = offline_ai()
    broken = AI("Claude", bundle.researcher, bundle.categoriser, bundle.writer, FailingClassifier())
    monkeypatch.setattr(replies, "ai", lambda offline=False: broken)


def test_a_reply_is_saved_and_marks_replied_before_any_classification(svc):
    reply = svc.replies.record("https://www.foxhound.de/", "Sounds good.\r\nCall me\x1b[31m!")
    assert reply.sentiment is None and reply.labelled_by == "" and reply.domain == "foxhound.de"
    assert "\x1b" not in reply.text and "\r" not in reply.text
    detail = svc.contacts.detail("foxhound.de")
    assert detail.status is Status.REPLIED and detail.last_reply_at is not None
    assert [r.id for r in detail.replies] == [reply.id]
    kinds = [(e.kind, e.to_status) for e in detail.events[-2:]]
    assert kinds == [(EventKind.REPLY, None), (EventKind.STATUS, Status.REPLIED)]
    assert [r.id for r in svc.replies.unlabelled()] == [reply.id]
    assert "foxhound.de" not in due_domains(svc)


def test_won_and_lost_contacts_keep_their_status(svc):
    svc.replies.record("juniperlaw.com", "Thanks again, all good here.")
    assert svc.contacts.detail("juniperlaw.com").status is Status.WON


async def test_classify_labels_the_reply_and_the_contact(svc):
    reply = svc.replies.record("foxhound.de", "Yes, let's talk. Are you free Thursday at 3?")
    outcome = await svc.replies.classify(reply.id, offline=True)
    assert outcome.sentiment is Sentiment.POSITIVE and not outcome.error
    stored = svc.replies.get(reply.id)
    assert stored.labelled_by == "offline" and stored.reason
    assert svc.contacts.detail("foxhound.de").row.sentiment is Sentiment.POSITIVE
    assert svc.replies.unlabelled() == []


async def test_unsubscribe_marks_do_not_contact_reversibly(svc):
    svc.replies.record("foxhound.de", "Please remove me from your mailing list.")
    outcome = await svc.replies.classify("foxhound.de", offline=True)
    assert outcome.sentiment is Sentiment.NEGATIVE and outcome.do_not_contact
    assert svc.contacts.detail("foxhound.de").row.do_not_contact
    svc.contacts.change_status("foxhound.de", "sent")  # even back in Sent: never due
    assert "foxhound.de" not in due_domains(svc)
    assert svc.replies.set_do_not_contact("foxhound.de", False)
    assert not svc.contacts.detail("foxhound.de").row.do_not_contact


async def test_out_of_office_is_not_a_reply_and_snoozes_follow_ups(svc, open_test_services, db_path):
    assert "foxhound.de" in due_domains(svc)
    svc.replies.record("foxhound.de", OOO)
    outcome = await svc.replies.classify("foxhound.de", offline=True)
    assert outcome.sentiment is Sentiment.NEUTRAL
    assert outcome.snoozed_until == datetime(2026, 12, 2)
    detail = svc.contacts.detail("foxhound.de")
    assert detail.status is Status.SENT and detail.last_reply_at is None
    assert detail.snoozed_until == datetime(2026, 12, 2)
    assert len(detail.replies) == 1 and detail.replies[0].signal == "out_of_office"
    assert "foxhound.de" not in due_domains(svc)
    svc.close()
    assert "foxhound.de" not in due_domains(open_test_services(db_path, now="2026-12-01T23:59:00"))
    assert "foxhound.de" in due_domains(open_test_services(db_path, now="2026-12-02T00:00:01"))


async def test_out_of_office_corrected_by_hand_becomes_a_real_reply(svc):
    reply = svc.replies.record("foxhound.de", OOO)
    await svc.replies.classify(reply.id, offline=True)
    svc.replies.correct(reply.id, "positive")
    detail = svc.contacts.detail("foxhound.de")
    assert detail.status is Status.REPLIED and detail.last_reply_at == reply.received_at
    assert detail.row.sentiment is Sentiment.POSITIVE


async def test_a_correction_is_never_overwritten_by_an_automatic_run(svc):
    reply = svc.replies.record("foxhound.de", "Not interested, thanks.")
    await svc.replies.classify(reply.id, offline=True)
    corrected = svc.replies.correct(reply.id, Sentiment.ASKED_FOR_INFO)
    assert corrected.corrected and corrected.sentiment is Sentiment.ASKED_FOR_INFO
    again = await svc.replies.classify(reply.id, offline=True)
    assert again.kept_correction and again.sentiment is Sentiment.ASKED_FOR_INFO
    detail = svc.contacts.detail("foxhound.de")
    assert detail.row.sentiment is Sentiment.ASKED_FOR_INFO
    corrections = [e for e in detail.events if e.kind is EventKind.CORRECTION]
    assert len(corrections) == 1 and "asked for info" in corrections[0].detail
    with pytest.raises(UserError, match="unknown label"):
        svc.replies.correct(reply.id, "maybe")


async def test_a_failed_classification_keeps_the_reply_unlabelled_with_why(svc, monkeypatch):
    failing_ai(monkeypatch, svc.replies)
    reply = svc.replies.record("foxhound.de", "Sounds interesting, what does it cost?")
    outcome = await svc.replies.classify(reply.id)
    assert outcome.sentiment is None and "529" in outcome.error
    stored = svc.replies.get(reply.id)
    assert stored.sentiment is None and "529" in stored.reason
    assert [r.id for r in svc.replies.unlabelled()] == [reply.id]
    assert svc.contacts.detail("foxhound.de").status is Status.REPLIED  # the reply counts


def test_empty_and_oversized_replies_are_refused_with_a_clear_message(svc):
    with pytest.raises(UserError, match="empty"):
        svc.replies.record("foxhound.de", " \n\t ")
    with pytest.raises(UserError, match=r"too long \(20,001 characters, at most 20,000\)"):
        svc.replies.record("foxhound.de", "x" * (MAX_REPLY_CHARS + 1))
    with pytest.raises(UserError, match="no contact"):
        svc.replies.record("nobody.example", "hello")
    assert svc.contacts.detail("foxhound.de").replies == []


async def test_a_referral_is_reported_and_can_be_added(svc):
    svc.replies.record("foxhound.de", "I'm not the right person. Please talk to Sam Lee, "
                       "sam@lee-marketing.com, who handles this for us.")
    outcome = await svc.replies.classify("foxhound.de", offline=True)
    assert outcome.analysis.referral is not None
    assert outcome.analysis.referral.email == "sam@lee-marketing.com"
    message = svc.replies.add_referral("foxhound.de", outcome.analysis.referral.name,
                                       outcome.analysis.referral.email)
    assert message.startswith("added lee-marketing.com")
    added = svc.contacts.detail("lee-marketing.com")
    assert added.row.email == "sam@lee-marketing.com" and added.status is Status.READY
    assert "referred by foxhound.de" in added.events[0].detail
    assert svc.replies.add_referral("foxhound.de", "Sam", "sam@lee-marketing.com").endswith(
        "already a contact")
    # someone at the same company becomes the contact's person (a domain is one contact)
    assert "contact is now Jo" in svc.replies.add_referral("foxhound.de", "Jo", "jo@foxhound.de")
    assert svc.contacts.detail("foxhound.de").row.email == "jo@foxhound.de"
    with pytest.raises(UserError, match="free-mail"):
        svc.replies.add_referral("foxhound.de", "Sam", "sam@gmail.com")


async def test_an_older_database_gets_the_new_columns_and_keeps_its_replies(open_test_services, tmp_path):
    old = tmp_path / "v1.db"
    con = sqlite3.connect(old)
    con.executescript(V1_SCHEMA)
    con.execute("INSERT INTO contact VALUES (1, 'acme.com', 'Acme', '', '', '', '', '', '', 'replied',"
                " '2026-11-10 10:00:00', '2026-11-12 09:00:00', 0, NULL, 0, 0,"
                " '2026-11-01 10:00:00', '2026-11-12 09:00:00')")
    con.execute("INSERT INTO reply VALUES (1, 1, 'Yes please, call me Monday.', NULL,"
                " '2026-11-12 09:00:00')")
    con.commit()
    con.close()
    svc = open_test_services(old)
    [reply] = svc.replies.unlabelled()
    assert reply.text.startswith("Yes please") and reply.reason == "" and reply.labelled_by == ""
    assert svc.contacts.detail("acme.com").snoozed_until is None
    outcome = await svc.replies.classify(reply.id, offline=True)
    assert outcome.sentiment is Sentiment.POSITIVE
    versions = [v for (v,) in sqlite3.connect(old).execute("SELECT version FROM schema_version")]
    assert versions[-1] == LATEST
