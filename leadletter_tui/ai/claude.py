"""The Claude implementations of the AI interfaces (ai/interfaces.py): writer, categoriser,
reply classifier. All three share one :class:`~leadletter_tui.ai.claude_client.ClaudeClient`
(which imports the SDK on first use, never at import time) and force a tool call, so the
answer is structured; every answer is validated here before anything uses it.

- Writer: the rules, the eight frameworks and the sender profile are the cached system
  block; the per-contact facts go in the user message. The draft is sanitised, repaired
  (dashes, whitespace) and validated (`domain/validation.py`); a follow-up is also checked
  for runs of six words shared with earlier messages. On problems: one retry, in the same
  conversation, listing them; then `DraftError`.
- Categoriser: the only accepted answer is one of the 12 slugs; anything else falls back
  to the offline categoriser, whose guess says why.
- Classifier: the quoted original is stripped first; a malformed answer is retried once,
  then `AIAnswerError` (the caller keeps the reply unlabelled with that reason).
"""

from __future__ import annotations

import re
from datetime import date
from typing import Any

from ..domain.angles import Angle
from ..domain.categories import Category
from ..domain.drafts import Draft, DraftError
from ..domain.frameworks import Framework
from ..domain.model import Sentiment
from ..domain.profile import SenderProfile
from ..domain.reply_text import (
    OutOfOffice,
    ReplyAnalysis,
    Referral,
    detect_unsubscribe,
    strip_quoted,
)
from ..domain.research import PageResearch
from ..domain.text import sanitize_line, sanitize_text, truncate_line
from ..domain.validation import repair, shared_runs, validate
from . import prompts
from .claude_client import (
    DEFAULT_FAST_MODEL,
    DEFAULT_WRITE_MODEL,
    ClaudeClient,
    ToolAnswer,
    on_sdk_loop,
)
from .errors import AIAnswerError
from .offline.categoriser import CategoryGuess, OfflineCategoriser
from .offline.writer import strip_signature

FOLLOW_UP_RUN = 6
WRITE_MAX_TOKENS = 1024
SMALL_MAX_TOKENS = 300
_EMAIL = re.compile(r"^[\w.+'-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}$")


def _retry_turns(answer: ToolAnswer, tool: str, note: str) -> list[dict]:
    """The assistant's rejected tool call and our answer to it, to continue the chat."""
    if not answer.tool_use_id:
        return [{"role": "assistant", "content": "(no tool call)"},
                {"role": "user", "content": note}]
    return [{"role": "assistant", "content": [{"type": "tool_use", "id": answer.tool_use_id,
             "name": tool, "input": answer.input or {}}]},
            {"role": "user", "content": [{"type": "tool_result", "tool_use_id":
             answer.tool_use_id, "is_error": True, "content": note}]}]


def _with_signature(body: str, signature: str) -> str:
    """``body`` ending in exactly one copy of the signature (a model that signed anyway,
    fully or with the first line of it, is not signed twice)."""
    if not signature or body.endswith(signature):
        return body
    lines = body.split("\n")
    first = signature.split("\n")[0].strip().casefold()
    while lines and lines[-1].strip().casefold() in (first, ""):
        lines.pop()
    return "\n".join(lines) + "\n" + signature


class ClaudeWriter:
    def __init__(self, client: ClaudeClient, model: str = DEFAULT_WRITE_MODEL) -> None:
        self.client = client
        self.model = model

    async def write_initial(self, *, research: PageResearch, profile: SenderProfile,
                            category: Category, angle: Angle, framework: Framework,
                            contact_name: str = "", business_name: str = "") -> Draft:
        user = prompts.initial_user(research=research, category=category, angle=angle,
                                    framework=framework, contact_name=contact_name,
                                    business_name=business_name)
        return await on_sdk_loop(self._write(profile, user, previous=[]))

    async def write_follow_up(self, *, research: PageResearch, profile: SenderProfile,
                              previous: list[Draft], number: int, angle: Angle,
                              framework: Framework, category: Category,
                              contact_name: str = "", business_name: str = "") -> Draft:
        user = prompts.follow_up_user(research=research, category=category, angle=angle,
                                      framework=framework, contact_name=contact_name,
                                      business_name=business_name, previous=previous,
                                      number=number)
        return await on_sdk_loop(self._write(profile, user, previous=previous))

    async def _write(self, profile: SenderProfile, user: str, previous: list[Draft]) -> Draft:
        """On the SDK's loop (see claude_client): asking, checking each answer (a few ms of
        CPU) and the one retry all happen off the UI's loop."""
        system = prompts.writer_system(profile)
        signature = sanitize_text(profile.signature or profile.name).strip()
        messages: list[dict] = [{"role": "user", "content": user}]
        problems: list[str] = []
        for attempt in (1, 2):
            answer = await self.client.call_tool(
                model=self.model, system=system, messages=messages, tool=prompts.WRITE_TOOL,
                max_tokens=WRITE_MAX_TOKENS)
            draft, problems = self._check(answer, signature, previous)
            if draft is not None:
                return draft
            if attempt == 1:
                messages += _retry_turns(answer, prompts.WRITE_TOOL["name"],
                                         prompts.problems_note(problems))
        raise DraftError("Claude's draft still broke the rules after a retry: "
                         + "; ".join(problems[:4]))

    @staticmethod
    def _check(answer: ToolAnswer, signature: str,
               previous: list[Draft]) -> tuple[Draft | None, list[str]]:
        data = answer.input
        if data is None:
            return None, [answer.problem]
        subject, body = data.get("subject"), data.get("body")
        if not isinstance(subject, str) or not isinstance(body, str):
            return None, ["subject and body must both be text"]
        body = _with_signature(sanitize_text(body).strip(), signature)
        subject, body = repair(sanitize_line(subject), body)
        problems = [p.message for p in validate(subject, body)]
        mine = f"{subject}\n{strip_signature(body, signature)}"
        for earlier in previous:
            theirs = f"{earlier.subject}\n{strip_signature(earlier.body, signature)}"
            for run in sorted(shared_runs(theirs, mine, FOLLOW_UP_RUN))[:2]:
                problems.append(f'it repeats "{" ".join(run)}" from an earlier message')
        if problems:
            return None, problems
        return Draft(subject=subject, body=body), []


class ClaudeCategoriser:
    def __init__(self, client: ClaudeClient, model: str = DEFAULT_FAST_MODEL,
                 fallback: OfflineCategoriser | None = None) -> None:
        self.client = client
        self.model = model
        self.fallback = fallback or OfflineCategoriser()

    async def categorise(self, research: PageResearch, domain: str) -> CategoryGuess:
        answer = await self.client.call_tool(
            model=self.model, system=prompts.categoriser_system(),
            messages=[{"role": "user", "content": prompts.categoriser_user(research, domain)}],
            tool=prompts.CATEGORY_TOOL, max_tokens=SMALL_MAX_TOKENS)
        data = answer.input or {}
        slug = data.get("category")
        if answer.input is not None and set(data) == {"category"} and isinstance(slug, str):
            try:
                return CategoryGuess(Category(slug), 0.9, f"Claude ({self.model})")
            except ValueError:
                pass
        got = truncate_line(repr(slug) if answer.input is not None else answer.problem, 60)
        guess = self.fallback.categorise(research, domain)
        return CategoryGuess(guess.category, guess.confidence,
                             f"offline guess ({guess.reason}): Claude's answer was not a "
                             f"category ({got})")


class ClaudeClassifier:
    def __init__(self, client: ClaudeClient, model: str = DEFAULT_FAST_MODEL) -> None:
        self.client = client
        self.model = model

    async def classify(self, text: str, *, today: date | None = None) -> ReplyAnalysis:
        today = today or date.today()
        body = strip_quoted(text if isinstance(text, str) else str(text or ""))
        if not body.strip():
            return ReplyAnalysis(Sentiment.NEUTRAL, False, None, None,
                                 "empty reply (nothing above the quoted text)")
        messages: list[dict] = [
            {"role": "user", "content": prompts.classifier_user(body, today.isoformat())}]
        problem = ""
        for attempt in (1, 2):
            answer = await self.client.call_tool(
                model=self.model, system=prompts.classifier_system(), messages=messages,
                tool=prompts.CLASSIFY_TOOL, max_tokens=SMALL_MAX_TOKENS)
            result, problem = _analysis(answer, body)
            if result is not None:
                return result
            if attempt == 1:
                messages += _retry_turns(
                    answer, prompts.CLASSIFY_TOOL["name"],
                    f"That answer was rejected: {problem}. Call record_reply again with "
                    "every field valid.")
        raise AIAnswerError(f"Claude's label for the reply was malformed twice ({problem})")


def _analysis(answer: ToolAnswer, body: str) -> tuple[ReplyAnalysis | None, str]:
    data: dict[str, Any] | None = answer.input
    if data is None:
        return None, answer.problem
    try:
        sentiment = Sentiment(data.get("sentiment"))
    except ValueError:
        return None, f"sentiment {truncate_line(repr(data.get('sentiment')), 40)} is not a label"
    flags = {k: data.get(k) for k in ("do_not_contact", "out_of_office")}
    if not all(isinstance(v, bool) for v in flags.values()):
        return None, "do_not_contact and out_of_office must be true or false"
    back: date | None = None
    raw_date = data.get("return_date")
    if raw_date not in (None, ""):
        try:
            back = date.fromisoformat(str(raw_date))
        except ValueError:
            return None, f"return_date {truncate_line(repr(raw_date), 30)} is not YYYY-MM-DD"
    referral = None
    email = data.get("referral_email")
    if email not in (None, ""):
        email = str(email).strip()
        if not _EMAIL.match(email) or email.lower() not in body.lower():
            return None, "referral_email is not an address written in the reply"
        referral = Referral(name=truncate_line(data.get("referral_name") or "", 80),
                            email=email.lower())
    # The person's own words decide removal too: a request to stop is never lost.
    dnc = flags["do_not_contact"] or detect_unsubscribe(body)
    if dnc and sentiment is not Sentiment.NEGATIVE:
        sentiment = Sentiment.NEGATIVE
    ooo = OutOfOffice(back) if flags["out_of_office"] else None
    reason = truncate_line(sanitize_line(data.get("reason") or ""), 120) or sentiment.label
    return ReplyAnalysis(sentiment, dnc, ooo, referral, f"Claude: {reason}"), ""
