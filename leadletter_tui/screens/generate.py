"""Generate screen: a domain (plus optional details) in, a message worth sending out.

Ctrl+G (or Enter in a field) runs research → category → angle → writing → validation in an
async worker, showing each step as it completes. The result can be copied (c), edited in
place (the body is a TextArea; Ctrl+S keeps the edit), written again with another angle
(Ctrl+R) or marked sent (Ctrl+T). Nothing typed is lost when a step fails: the form stays
filled and the reason is shown.
"""

from __future__ import annotations

from textual import work
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import Screen
from textual.signal import Signal
from textual.widgets import Input, Label, Static, TextArea

from ..domain.domains import InvalidDomain, normalize_domain
from ..domain.text import sanitize_line, sanitize_text
from ..services import Services, UserError
from ..services.generation import STEPS  # research, category, angle, writing, validation, saving
from ..widgets.form_input import FormInput
from ..widgets.key_bar import KeyBar
from ..workers import ReportsWorkerErrors


class GenerateScreen(ReportsWorkerErrors, Screen):
    CSS_PATH = ["../styles/generate.tcss"]
    AUTO_FOCUS = "#gen-domain"
    BINDINGS = [
        Binding("ctrl+g", "generate", "Generate", id="generate.run"),
        Binding("ctrl+r", "regenerate", "Another angle", id="generate.again"),
        Binding("ctrl+s", "save_edit", "Keep edit", id="generate.save"),
        Binding("ctrl+t", "mark_sent", "Mark sent", id="generate.sent"),
        Binding("ctrl+y", "copy", "Copy", id="generate.copy"),
        Binding("escape", "back", "Back", id="generate.back"),
    ]

    def __init__(self, services: Services, changed: Signal, *, domain: str = "",
                 name: str = "", email: str = "", phone: str = "", business: str = "") -> None:
        super().__init__()
        self.services = services
        self.changed = changed
        self.domain = FormInput(domain, placeholder="acme.com or https://acme.com", id="gen-domain")
        self.business = FormInput(business, placeholder="business name (optional)", id="gen-business")
        self.person = FormInput(name, placeholder="contact name", id="gen-name")
        self.email = FormInput(email, placeholder="email", id="gen-email")
        self.phone = FormInput(phone, placeholder="phone", id="gen-phone")
        self.problem = Label(Content(""), id="gen-problem")
        self.steps = Static(Content(""), id="gen-steps")
        self.subject = FormInput("", placeholder="subject", id="gen-subject")
        self.body = TextArea("", id="gen-body", soft_wrap=True, show_line_numbers=False)
        self.mode = Label(Content(""), id="gen-mode")
        self.result = None  # the last GenerationResult
        self.running = False
        self._done: list[str] = []
        # Details filled in from the highlighted contact belong to its domain: typing another
        # domain clears them (a message to b.com must not greet a.com's contact), typing
        # that domain again puts them back. Fields the user edited are left alone.
        self._prefill_domain = _key(domain)
        self._prefill = {self.business: business, self.person: name, self.email: email,
                         self.phone: phone}

    def compose(self) -> ComposeResult:
        with Vertical(id="gen-form"):
            with Horizontal(classes="gen-row"):
                yield Label("Domain", classes="gen-label")
                yield self.domain
                yield self.mode
            with Horizontal(classes="gen-row"):
                yield Label("Details", classes="gen-label")
                yield self.business
                yield self.person
            with Horizontal(classes="gen-row"):
                yield Label("", classes="gen-label")
                yield self.email
                yield self.phone
            yield self.problem
        yield self.steps
        yield self.subject
        yield self.body
        yield KeyBar()

    def on_mount(self) -> None:
        mode = self.services.generation.ai().mode
        self.mode.update(Content("written by Claude" if mode == "Claude" else
                                 "written offline (no API key)"))
        self.subject.display = False
        self.body.display = False

    # --- the form ------------------------------------------------------------------------
    def _problem(self) -> str | None:
        text = self.domain.value.strip()
        if not text:
            return "type a domain or a web address"
        try:
            normalize_domain(text)
        except InvalidDomain as exc:
            return str(exc)
        return None

    def on_input_changed(self, event: Input.Changed) -> None:
        if event.input is self.domain:
            problem = self._problem() if self.domain.value.strip() else None
            self.problem.update(Content(problem or ""))
            self._follow_prefill()

    def _follow_prefill(self) -> None:
        if not self._prefill_domain:
            return
        same = _key(self.domain.value) == self._prefill_domain
        for field, value in self._prefill.items():
            if not value:
                continue
            if not same and field.value == value:
                field.value = ""
            elif same and not field.value:
                field.value = value

    def on_input_submitted(self, event: Input.Submitted) -> None:
        if event.input is not self.subject:
            self.action_generate()

    def action_generate(self, *, another_angle: bool = False) -> None:
        if self.running:
            return
        problem = self._problem()
        if problem:
            self.problem.update(Content(problem))
            self.domain.focus()
            return
        self.running = True
        self._done = []
        self._show_steps(current=STEPS[0])
        avoid = self.result.angle if (another_angle and self.result) else None
        self._run(self.domain.value.strip(), self.person.value.strip(), self.email.value.strip(),
                  self.phone.value.strip(), self.business.value.strip(), avoid)

    def action_regenerate(self) -> None:
        self.action_generate(another_angle=True)

    def _show_steps(self, current: str | None = None, failed: str | None = None) -> None:
        parts = []
        for step in STEPS:
            if step in self._done:
                parts.append((f"✓ {step}  ", "$success"))
            elif step == current:
                parts.append((f"… {step}  ", "bold"))
            else:
                parts.append((f"· {step}  ", "$text-muted"))
        if failed:
            parts.append((f"\n{failed}", "$error"))
        self.steps.update(Content.assemble(*parts))

    def _step(self, step: str, detail: str = "") -> None:
        """Progress from the service (on the loop: the worker is async)."""
        if step in STEPS and step not in self._done:
            index = STEPS.index(step)
            self._done = list(STEPS[:index])
            self._show_steps(current=step)

    @work(exclusive=True, group="generate", exit_on_error=False)
    async def _run(self, domain, name, email, phone, business, avoid_angle) -> None:
        try:
            kwargs = dict(name=name, email=email, phone=phone, business=business,
                          progress=self._step)
            if avoid_angle:
                kwargs["avoid_angle"] = avoid_angle
            result = await self.services.generation.generate(domain, **kwargs)
        except UserError as exc:
            self.running = False
            self._show_steps(failed=sanitize_line(str(exc)))
            return
        finally:
            self.running = False
        self._done = list(STEPS)
        self._show_steps()
        self._show_result(result)
        self.changed.publish(None)

    def worker_failed(self, worker) -> None:
        self.running = False
        self._show_steps(failed="generation failed: see the message (your input is kept)")

    def _show_result(self, result) -> None:
        self.result = result
        research = result.research
        note = "" if research.ok else f" · page not read: {sanitize_line(research.error or '')}"
        new = "new contact · " if result.created else ""
        self.steps.update(Content.assemble(
            ("✓ written", "$success"),
            f"  {new}{result.category} · angle {result.angle} · {result.framework}{note}"))
        self.subject.value = sanitize_line(result.draft.subject)
        self.body.text = sanitize_text(result.draft.body)
        self.subject.display = True
        self.body.display = True
        self.body.focus()

    # --- the result ------------------------------------------------------------------------
    def action_copy(self) -> None:
        if self.result is None:
            return
        self.app.copy_to_clipboard(f"{self.subject.value}\n\n{self.body.text}")
        self.notify("Subject and body sent to your terminal's clipboard (OSC 52). If nothing "
                    "pastes, your terminal does not allow it: select the text instead.",
                    markup=False, timeout=6)

    def action_save_edit(self) -> None:
        if self.result is None:
            return
        self._save(self.result.domain, self.subject.value, self.body.text)

    @work(thread=True, group="generate-save", exit_on_error=False)
    def _save(self, domain: str, subject: str, body: str) -> None:
        from ..workers import deliver

        problems = self.services.generation.update_draft(domain, subject, body)
        note = f" (note: {problems[0]})" if problems else ""
        deliver(self, self.notify, Content(f"{domain}: edit kept{note}"),
                severity="warning" if problems else "information")

    def action_mark_sent(self) -> None:
        if self.result is None:
            return
        self._mark_sent(self.result.domain)

    @work(thread=True, group="generate-save", exit_on_error=False)
    def _mark_sent(self, domain: str) -> None:
        from ..workers import deliver

        self.services.contacts.change_status(domain, "sent")
        deliver(self, self._sent, domain)

    def _sent(self, domain: str) -> None:
        self.notify(Content(f"{domain}: marked sent (the follow-up clock starts)"))
        self.changed.publish(None)

    def action_back(self) -> None:
        if self.running:
            self.workers.cancel_group(self, "generate")
            self.running = False
            self._show_steps(failed="cancelled")
            return
        self.dismiss() if self.is_modal else self.app.pop_screen()


def _key(text: str) -> str:
    """A typed domain as its stored key, or the text itself while it is not a valid one."""
    try:
        return normalize_domain(text.strip()) if text.strip() else ""
    except InvalidDomain:
        return text.strip().lower()
