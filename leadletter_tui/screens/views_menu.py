"""The views menu (`v`): built-in views, the user's saved ones (★), the team's (⇄, kept in
the database), saving, sharing, unsharing and deleting one. A mixin of the contacts screen
(it uses `apply_spec`, `spec`, `filter`, `services`)."""

from __future__ import annotations

from collections.abc import Callable

from textual import work

from ..domain.filters import FilterSpec
from ..errors import UserError
from ..widgets.filter_bar import BUILTIN_VIEWS
from ..workers import deliver

TEAM_MARK = "⇄"


class ViewsMenu:
    def action_views(self) -> None:
        """Built-in views, the user's saved ones, and saving or deleting one. The saved
        ones are read first in a worker (the team's come from the database: on a server,
        a round trip the UI thread should not wait for)."""
        self._read_views(self._views_store())

    @work(thread=True, exclusive=True, group="views-menu", exit_on_error=False)
    def _read_views(self, store) -> None:
        problems: list[str] = []

        def read(load) -> list:
            try:
                return load()
            except UserError as exc:
                problems.append(str(exc))
                return []

        saved = read(store.load)
        team = read(self.services.shared.views)
        deliver(self, self._show_views, saved, team, problems)

    def _show_views(self, saved: list, team: list, problems: list[str]) -> None:
        for problem in problems:
            self.notify(problem, severity="error", markup=False)
        entries: list[tuple[str, Callable[[], object]]] = [
            (v.name, lambda v=v: self.apply_spec(v.spec)) for v in BUILTIN_VIEWS
        ]
        entries += [(f"★ {v.name}", lambda v=v: self.apply_spec(FilterSpec.from_options(v.options)))
                    for v in saved]
        entries += [(f"{TEAM_MARK} {v.name} (team)",
                     lambda v=v: self.apply_spec(FilterSpec.from_options(v.options)))
                    for v in team]
        if not self.spec.is_empty:
            entries.append(("Save this filter as a view…", self.action_save_view))
        if saved:
            entries.append(("Share a saved view with the team…", lambda: self._share_view(saved)))
        if team:
            entries.append(("Stop sharing a team view…", lambda: self._unshare_view(team)))
        if saved:
            entries.append(("Delete a saved view…", lambda: self._delete_view(saved)))

        def done(index: int | None) -> None:
            if index is not None:
                entries[index][1]()

        from .modals import ChoiceModal

        self.app.push_screen(ChoiceModal("Views", [name for name, _ in entries]), done)

    def _views_store(self):
        from ..config import Paths
        from ..services.views import SavedViews

        return SavedViews((getattr(self.app, "paths", None) or Paths.from_platform()).config_dir)

    def _saved_views(self) -> list:
        try:
            return self._views_store().load()
        except UserError as exc:
            self.notify(str(exc), severity="error", markup=False)
            return []

    def _share_view(self, saved: list) -> None:
        def chosen(index: int | None) -> None:
            if index is None:
                return
            try:
                view = self.services.shared.share_view(self._views_store(), saved[index].name)
            except UserError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.notify(f"Shared {TEAM_MARK} {view.name}: everyone on this database sees it",
                        markup=False)

        from .modals import ChoiceModal

        self.app.push_screen(ChoiceModal("Share which view with the team?",
                                         [v.name for v in saved]), chosen)

    def _unshare_view(self, team: list) -> None:
        def chosen(index: int | None) -> None:
            if index is None:
                return
            try:
                view = self.services.shared.unshare_view(self._views_store(), team[index].name)
            except UserError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.notify(f"Stopped sharing {view.name}; it is now ★ yours only", markup=False)

        from .modals import ChoiceModal

        labels = [f"{v.name} (by {v.updated_by})" if v.updated_by else v.name for v in team]
        self.app.push_screen(ChoiceModal("Stop sharing which team view?", labels), chosen)

    def action_save_view(self) -> None:
        from ..services.views import NAME_LIMIT

        if self.spec.is_empty:
            self.notify("Filter first (/, F or v): there is nothing to save.", markup=False)
            return
        spec = self.spec

        def named(name: str | None) -> None:
            if not name:
                return
            try:
                view = self._views_store().save(name, spec.options())
            except UserError as exc:
                self.notify(str(exc), severity="error", markup=False)
                return
            self.notify(f"Saved view ★ {view.name} (v opens it)", markup=False)

        from .modals import TextModal

        self.app.push_screen(
            TextModal("Save this filter as a view named", self.filter.summary()[:NAME_LIMIT],
                      max_length=NAME_LIMIT), named)

    def _delete_view(self, saved: list) -> None:
        def chosen(index: int | None) -> None:
            if index is None:
                return
            try:
                self._views_store().delete(saved[index].name)
            except UserError as exc:  # e.g. deleted meanwhile from the CLI
                self.notify(str(exc), severity="error", markup=False)
                return
            self.notify(f"Deleted view ★ {saved[index].name}", markup=False)

        from .modals import ChoiceModal

        self.app.push_screen(ChoiceModal("Delete which saved view?", [v.name for v in saved]),
                             chosen)
