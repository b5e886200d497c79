"""LeadLetterApp and its factory. Everything the app needs arrives through `make_app`."""

from __future__ import annotations

from textual.app import App, ComposeResult
from textual.binding import Binding
from textual.widgets import Footer, Header, Static

from .config import Paths
from .services import Services


class LeadLetterApp(App[None]):
    TITLE = "LeadLetter"
    ENABLE_COMMAND_PALETTE = True
    BINDINGS = [Binding("q", "quit", "Quit", id="app.quit")]

    def __init__(self, services: Services, paths: Paths | None = None) -> None:
        super().__init__()
        self.services = services
        self.paths = paths
        self.sub_title = services.db_display  # Header renders titles literally

    def compose(self) -> ComposeResult:
        yield Header()
        total = self.services.count()
        yield Static(
            f"{total:,} contacts. The contacts screen arrives in the next release; "
            "meanwhile try `leadletter list` or `leadletter demo`.",
            markup=False,
            id="placeholder",
        )
        yield Footer()


def make_app(services: Services, paths: Paths | None = None) -> LeadLetterApp:
    return LeadLetterApp(services, paths)


def run_tui(services: Services, paths: Paths | None = None) -> None:
    make_app(services, paths).run()
