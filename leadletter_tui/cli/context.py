"""What every command shares: the context (settings, paths, the lazily opened services),
the filter options of list/export/follow-up, and how a filter is built from them."""

from __future__ import annotations

from typing import TYPE_CHECKING

import click
from click.core import ParameterSource

from ..config import Paths, Settings, load_settings
from ..domain.text import QUOTE_LIMIT, quote_input

if TYPE_CHECKING:
    from ..services import Services


class Context:
    def __init__(self, db: str | None) -> None:
        self.db = db
        self.paths = Paths.from_platform()
        self.settings: Settings = load_settings(self.paths)
        self._services: Services | None = None
        from .. import logs  # only says where: nothing is opened until a record is written

        logs.configure(self.paths.log_dir, secrets=(self.settings.anthropic_api_key,))

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


class NonEmpty:
    """Mixed into a parameter's own type (so click still sees a Choice, an IntRange, a
    Path...), for what the user typed on the command line:
    - an empty value (or only spaces) is an error naming the option, never "not given"
      (`--db ""` would otherwise open the default database, `--at ""` stamp now);
    - a rejected value is quoted short (`quote_input`): a 10 MB argument gives one short
      line, whatever the type says about it.
    Defaults pass through untouched."""

    def convert(self, value, param, ctx):
        typed = (isinstance(value, str) and ctx is not None and param is not None
                 and param.name is not None
                 and ctx.get_parameter_source(param.name) is ParameterSource.COMMANDLINE)
        if typed and not value.strip():
            self.fail("empty value (leave the option out instead)", param, ctx)
        try:
            return super().convert(value, param, ctx)
        except click.BadParameter as exc:
            if not (typed and len(value) > QUOTE_LIMIT):
                raise
            short = quote_input(value)
            message = str(exc.message).replace(repr(value), short).replace(value, short)
            self.fail(message, param, ctx)


_CHECKED: dict[type, type] = {}


def _checked(kind: click.ParamType) -> click.ParamType:
    """A copy of `kind` whose class also derives from NonEmpty."""
    cls = type(kind)
    if cls not in _CHECKED:
        _CHECKED[cls] = type(f"NonEmpty{cls.__name__}", (NonEmpty, cls), {})
    copy = object.__new__(_CHECKED[cls])
    copy.__dict__.update(kind.__dict__)
    return copy


def require_values(command: click.Command) -> click.Command:
    """Check every value-taking parameter of `command` (NonEmpty; flags excepted). The
    group applies it to each command it loads, so a new option gets it for free."""
    for param in command.params:
        if getattr(param, "is_flag", False) or getattr(param, "count", False):
            continue
        if not isinstance(param.type, NonEmpty):
            param.type = _checked(param.type)
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
    if view:  # a saved view's options (yours, else the team's), under what the flags add
        from ..services.views import SavedViews, find_view

        saved = find_view(SavedViews(c.paths.config_dir), services.shared, view).options
        opts = {**saved, **{k: v for k, v in opts.items() if v}}
    flt = services.contacts.make_filter(**opts)
    return flt, services.contacts.make_sort(sort_text, flt)
