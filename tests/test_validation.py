"""Message validation rules (domain/validation.py): one table per rule, plus repair."""

from __future__ import annotations

import pytest

from leadletter_tui.domain.validation import (
    BODY_MAX_WORDS,
    BODY_MIN_WORDS,
    MAX_SENTENCE_WORDS,
    STOCK_PHRASES,
    find_stock_phrases,
    repair,
    shared_runs,
    validate,
    word_count,
)

FILL = ("We fix the small things on websites for local firms. " * 8).strip()  # 80 words
assert BODY_MIN_WORDS <= word_count(FILL) <= BODY_MAX_WORDS


def codes(subject: str, body: str) -> list[str]:
    return [p.code for p in validate(subject, body)]


def test_a_clean_message_passes():
    assert validate("An idea for Acme", f"Hi Dana,\n\n{FILL}\n\nBest,\nSam") == []


@pytest.mark.parametrize(("text", "code"), [
    ("We fix sites \u2014 fast.", "dash"),
    ("We fix sites \u2013 fast.", "dash"),
    ("Open 9\u20135.", "dash"),
    ("We fix sites -- fast.", "double_hyphen"),
    ("We fix sites --- fast.", "double_hyphen"),
])
def test_dashes_in_the_body(text, code):
    assert code in codes("Subject", f"{FILL} {text}")


@pytest.mark.parametrize(("subject", "code"), [
    ("Acme \u2014 an idea", "dash"),
    ("Acme -- an idea", "double_hyphen"),
])
def test_dashes_in_the_subject(subject, code):
    assert code in codes(subject, FILL)


@pytest.mark.parametrize("text", ["A well-known, same-day service.", "Call 555-0100.", "9-5 daily."])
def test_single_hyphens_are_fine(text):
    assert codes("Subject", f"{FILL} {text}") == []


def test_the_stock_phrase_list_is_long_and_clean():
    assert len(STOCK_PHRASES) >= 30
    assert len({p.lower() for p in STOCK_PHRASES}) == len(STOCK_PHRASES)


@pytest.mark.parametrize(("text", "phrase"), [
    ("I hope this email finds you well.", "I hope this email finds you well"),
    ("i HOPE this EMAIL finds you well", "I hope this email finds you well"),
    ("Hope you\u2019re doing well!", "hope you're doing well"),  # curly apostrophe
    ("I came across your website today.", "I came across your website"),
    ("Can we touch base on Friday?", "touch base"),
    ("I'll circle back next week.", "circle back"),
    ("We leverage search.", "leverage"),
    ("We leveraged search.", "leverage"),
    ("A real game changer.", "game-changer"),
    ("A real gamechanger.", "game-changer"),
    ("In today\u2019s fast-paced market", "in today's fast-paced"),
    ("Just checking in on this.", "just checking in"),
    ("I wanted to reach out about your site.", "I wanted to reach out"),
    ("Real synergy here.", "synergy"),
    ("Some low hanging fruit.", "low-hanging fruit"),
    ("Let's take it to the next level.", "take it to the next level"),
    ("At the end of the day, results matter.", "at the end of the day"),
    ("Cutting edge design.", "cutting-edge"),
    ("This will unlock growth.", "unlock"),
    ("We unlocked growth.", "unlock"),
    ("Revolutionise your bookings.", "revolutionise"),
])
def test_stock_phrases_are_found(text, phrase):
    assert phrase in find_stock_phrases(text)
    assert "stock_phrase" in codes("Subject", f"{FILL} {text}")


@pytest.mark.parametrize(("text", "flagged"), [
    ("The clock ticks on.", False),  # "unlock" is not inside other words
    ("A synergistic team.", False),  # only plain inflections (s, es, d, ed, ing) count
    ("Seamless", True),
    ("It leverages search.", True),
    ("Unlocking growth.", True),
    ("Circle backs.", True),
])
def test_word_boundaries(text, flagged):
    assert bool(find_stock_phrases(text)) is flagged


def test_quick_question_is_flagged_in_the_subject_too():
    assert "stock_phrase" in codes("Quick question", FILL)


def test_stock_phrase_messages_name_the_phrase():
    (problem,) = [p for p in validate("Hi", f"{FILL} Let's touch base.") if p.code == "stock_phrase"]
    assert '"touch base"' in problem.message


def _sentence(n: int) -> str:
    return " ".join(["word"] * (n - 1)) + " end."


@pytest.mark.parametrize(("n", "bloated"), [
    (MAX_SENTENCE_WORDS, False), (MAX_SENTENCE_WORDS + 1, True), (40, True)])
def test_long_sentences(n, bloated):
    assert ("long_sentence" in codes("Subject", f"{FILL} {_sentence(n)}")) is bloated


def test_a_line_break_ends_a_sentence():
    body = f"{FILL}\n" + " ".join(["word"] * 20) + "\n" + " ".join(["word"] * 20)
    assert "long_sentence" not in codes("Subject", body)


@pytest.mark.parametrize(("text", "bloated"), [
    ("It is really very good.", True),
    ("It is just really good.", True),
    ("That is truly incredibly useful.", True),
    ("It is really good.", False),
    ("It is very good, really.", False),
])
def test_stacked_filler(text, bloated):
    assert ("stacked_filler" in codes("Subject", f"{FILL} {text}")) is bloated


@pytest.mark.parametrize(("subject", "code"), [
    ("", "subject_empty"),
    ("   ", "subject_empty"),
    ("x" * 61, "subject_too_long"),
    ("Two\nlines", "subject_multiline"),
])
def test_subject_rules(subject, code):
    assert code in codes(subject, FILL)


@pytest.mark.parametrize("subject", ["A", "x" * 60, "An idea for Acme Plumbing"])
def test_subject_lengths_that_pass(subject):
    assert codes(subject, FILL) == []


@pytest.mark.parametrize(("words", "code"), [
    (BODY_MIN_WORDS - 1, "body_too_short"), (BODY_MAX_WORDS + 1, "body_too_long"),
])
def test_body_length(words, code):
    body = ". ".join(" ".join(["word"] * 10) for _ in range(words // 10))
    body += ". " + " ".join(["word"] * (words % 10)) if words % 10 else ""
    assert word_count(body) == words
    assert code in codes("Subject", body)


@pytest.mark.parametrize("words", [BODY_MIN_WORDS, BODY_MAX_WORDS])
def test_body_length_bounds_pass(words):
    body = ". ".join(" ".join(["word"] * 10) for _ in range(words // 10)) + "."
    assert codes("Subject", body) == []


@pytest.mark.parametrize(("text", "n"), [
    ("", 0), ("one", 1), ("It's 24/7 at acme.com, same-day.", 5), ("Hi  Dana,\n\nBest", 3),
    ("5 stars -- really", 3),
])
def test_word_count(text, n):
    assert word_count(text) == n


@pytest.mark.parametrize(("subject", "body", "want_subject", "want_body"), [
    ("Acme \u2014 an idea", "x", "Acme, an idea", "x"),
    ("Acme \u2014 An idea", "x", "Acme. An idea", "x"),
    ("s", "We fix sites \u2014 fast.", "s", "We fix sites, fast."),
    ("s", "We fix sites\u2014fast.", "s", "We fix sites, fast."),
    ("s", "We fix sites -- It works.", "s", "We fix sites. It works."),
    ("s", "Done \u2014 I promise.", "s", "Done, I promise."),
    ("s", "Open 9\u20135 daily.", "s", "Open 9-5 daily."),
    ("s", "Great work. \u2014 Really.", "s", "Great work. Really."),
    ("s", "Best,\n-- \nSam", "s", "Best,\n\nSam"),
    ("s", "Ends with a dash \u2014", "s", "Ends with a dash"),
    ("  Two\nlines  ", "a   b\t c", "Two lines", "a b c"),
    ("s", "Para one.\n\n\n\nPara two.  ", "s", "Para one.\n\nPara two."),
    ("s", "aside \u2014 like this \u2014 here", "s", "aside, like this, here"),
])
def test_repair(subject, body, want_subject, want_body):
    assert repair(subject, body) == (want_subject, want_body)


def test_repair_never_adds_words_and_fixes_every_dash():
    subject, body = "Idea \u2014 for you -- now", f"{FILL} \u2014 more \u2013 text -- end"
    s2, b2 = repair(subject, body)
    assert word_count(s2) == word_count(subject) - 0 and word_count(b2) <= word_count(body)
    assert {p.code for p in validate(s2, b2)}.isdisjoint({"dash", "double_hyphen"})


def test_repair_leaves_stock_phrases_to_the_writer():
    assert "stock_phrase" in codes(*repair("s", f"{FILL} Let's touch base."))


def test_shared_runs():
    a = "The quick brown fox jumps over the lazy dog"
    b = "THE quick, brown fox jumps over the moon"
    assert shared_runs(a, b) == {("the", "quick", "brown", "fox", "jumps", "over"),
                                 ("quick", "brown", "fox", "jumps", "over", "the")}
    assert shared_runs(a, b, n=8) == set()
    assert shared_runs("It\u2019s a b c d e", "it's a b c d e") == {("it's", "a", "b", "c", "d", "e")}
    assert shared_runs("one two", "one two") == set()
