"""What every command shares: the context (settings, paths, the lazily opened services),
the filter options of list/export/follow-up, and how a filter is built from them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from ..config import Paths, Settings, load_settings

if TYPE_CHECKING:
    from ..services import Services


class Context:
    def __init__(self, db: str | None) -> None:
        self.db = db
        self.paths = Paths.from_platform()
        self.settings: Settings = load_settings(self.paths)
        self._services: Services | None = None

    def services(self, *, create: bool = True) -> Services:
        if self._services is None:
            from ..services import open_services  # the database driver loads here

            self._services = open_services(self.settings, self.paths, self.db, create=create)
        return self._services

    def failure_message(self, exc: BaseException) -> str | None:
        """One line for a failure of the open database, or None (not one, or none open)."""
        return self._services.store.failure_message(exc) if self._services is not None else None

    def close(self) -> None:
        if self._services is not None:
            self._services.close()


pass_ctx = click.make_pass_decorator(Context)


class NonEmpty(click.ParamType):
    """Wraps a text or path type: a value typed on the command line that is empty (or only
    spaces) is an error naming the option, never "not given" (`--db ""` would otherwise
    open the default database, `--at ""` stamp now). Defaults pass through untouched."""

    def __init__(self, inner: click.ParamType) -> None:
        self.inner = inner
        self.name = inner.name

    def convert(self, value, param, ctx):
        if (isinstance(value, str) and not value.strip() and ctx is not None
                and param is not None and param.name is not None
                and ctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE):
            self.fail("empty value (leave the option out instead)", param, ctx)
        return self.inner.convert(value, param, ctx)

    def get_metavar(self, param, ctx):
        return self.inner.get_metavar(param, ctx)

    def shell_complete(self, ctx, param, incomplete):
        return self.inner.shell_complete(ctx, param, incomplete)


def require_values(command: click.Command) -> click.Command:
    """Make every text and path parameter of `command` refuse an empty value (NonEmpty).
    The group applies it to each command it loads, so a new option gets it for free."""
    for param in command.params:
        if isinstance(param.type, (click.types.StringParamType, click.Path)):
            param.type = NonEmpty(param.type)
    return command


def filter_options(fn):
    """The filters shared by list, export and follow-up: one option per declared filter
    field (domain/filters.py), then --view and --sort."""
    from ..domain import filters

    options = []
    for f in filters.FILTER_FIELDS:
        if f.kind == "flag":
            options.append(click.option(f.flag, f.key, is_flag=True, help=f.help))
        else:
            options.append(click.option(f.flag, f.key, multiple=f.kind == "multi",
                                        metavar=f.metavar or None, help=f.help))
    options += [
        click.option("--view", metavar="NAME",
                     help="Start from a saved view (saved in the TUI with v); flags add to it."),
        click.option("--sort", metavar="KEY",
                     help=", ".join(k.value for k in filters.SortKey)
                     + "; prefix - for descending (the TUI shows the same names)."),
    ]
    for option in reversed(options):
        fn = option(fn)
    return fn


def build_filter(c: Context, services: Services, opts: dict):
    sort_text = opts.pop("sort", None)
    view = opts.pop("view", None)
    if view:  # a saved view's options, under what the flags add or change
        from ..services.views import SavedViews

        saved = SavedViews(c.paths.config_dir).get(view).options
        opts = {**saved, **{k: v for k, v in opts.items() if v}}
    flt = services.contacts.make_filter(**opts)
    return flt, services.contacts.make_sort(sort_text, flt)
