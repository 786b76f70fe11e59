"""Settings, lexicons and actors are TOML data under framing/data, overridable by a user file.

A user config file may hold any of the sections of ``defaults.toml`` (each key overriding the
default) and these top-level keys:

``lexicon`` / ``actors`` / ``cleaning``
    path of a TOML file (relative to the config file) that extends the default one
``lexicon_mode`` / ``actors_mode`` / ``cleaning_mode``
    ``"extend"`` (default) or ``"replace"``

An unknown key anywhere is an error, never silently ignored.
"""

from __future__ import annotations

import copy
import tomllib
from importlib import resources
from pathlib import Path

from .errors import FramingError

_FILE_KEYS = ("lexicon", "actors", "cleaning")


def _read_packaged(name: str) -> dict:
    text = resources.files("framing.data").joinpath(name).read_text(encoding="utf-8")
    return tomllib.loads(text)


def read_toml(path: str | Path) -> dict:
    """Read a user TOML file, turning every failure into a one-line :class:`FramingError`."""
    path = Path(path)
    try:
        raw = path.read_bytes()
    except FileNotFoundError:
        raise FramingError(path, "file not found") from None
    except OSError as exc:
        raise FramingError(path, f"cannot read: {exc.strerror}") from None
    try:
        return tomllib.loads(raw.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise FramingError(path, f"not valid UTF-8 (byte {exc.start})") from None
    except tomllib.TOMLDecodeError as exc:
        raise FramingError(path, f"invalid TOML: {exc}") from None


def _merge_settings(base: dict, override: dict, path: Path, prefix: str = "") -> dict:
    out = copy.deepcopy(base)
    for key, value in override.items():
        name = f"{prefix}{key}"
        if key not in base:
            known = ", ".join(sorted(base)) or "none"
            raise FramingError(path, f"unknown key '{name}' (known here: {known})")
        if isinstance(base[key], dict) and not isinstance(value, dict):
            raise FramingError(path, f"'{name}' must be a table")
        if isinstance(base[key], dict) and base[key].get("__open__"):
            # open tables (such as outlet colours) accept any key
            merged = dict(base[key])
            merged.update(value)
            out[key] = merged
        elif isinstance(base[key], dict):
            out[key] = _merge_settings(base[key], value, path, prefix=f"{name}.")
        else:
            if isinstance(base[key], bool) != isinstance(value, bool) or (
                isinstance(base[key], (int, float)) and not isinstance(value, (int, float))
            ) or (isinstance(base[key], str) and not isinstance(value, str)):
                raise FramingError(
                    path, f"'{name}' must be {type(base[key]).__name__}, got {value!r}")
            out[key] = value
    return out


class Config:
    """All settings of one run: defaults.toml merged with a user's file.

    Attributes
    ----------
    settings : dict
        sections of defaults.toml (``measures``, ``contrasts``, ``sentiment``, ``outlets`` …)
    lexicon, actors, cleaning : dict
        the parsed lexicon, actor and cleaning-rule data
    sources : dict
        which file each part came from (recorded in the report's fingerprint)
    """

    def __init__(self, settings: dict, lexicon: dict, actors: dict, cleaning: dict,
                 sources: dict):
        self.settings = settings
        self.lexicon = lexicon
        self.actors = actors
        self.cleaning = cleaning
        self.sources = sources

    def __getitem__(self, section: str) -> dict:
        return self.settings[section]

    def fingerprint_data(self) -> dict:
        return {"settings": self.settings, "lexicon": self.lexicon, "actors": self.actors,
                "cleaning": self.cleaning}


def _extend(base: dict, extra: dict) -> dict:
    """Deep-merge ``extra`` into ``base``: tables merge, lists and values from extra win."""
    out = copy.deepcopy(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = _extend(out[key], value)
        else:
            out[key] = copy.deepcopy(value)
    return out


def load_config(path: str | Path | None = None) -> Config:
    """Load the default configuration, overridden by the user file at ``path`` if given."""
    from . import lexicon as _lex  # validation lives with the data's users

    settings = _read_packaged("defaults.toml")
    parts = {
        "lexicon": _read_packaged("lexicons/loaded_terms.toml"),
        "actors": _read_packaged("lexicons/actors.toml"),
        "cleaning": _read_packaged("cleaning.toml"),
    }
    sources = {k: f"framing/data ({k})" for k in parts}
    if path is not None:
        path = Path(path)
        user = read_toml(path)
        for key in _FILE_KEYS:
            mode = user.pop(f"{key}_mode", "extend")
            if mode not in ("extend", "replace"):
                raise FramingError(path, f"'{key}_mode' must be 'extend' or 'replace', got {mode!r}")
            if key in user:
                file = Path(user.pop(key))
                if not file.is_absolute():
                    file = path.parent / file
                data = read_toml(file)
                parts[key] = data if mode == "replace" else _extend(parts[key], data)
                sources[key] = f"{file} ({mode})"
                _lex.validate(key, parts[key], file)
        settings = _merge_settings(settings, user, path)
        sources["settings"] = str(path)
    return Config(settings, parts["lexicon"], parts["actors"], parts["cleaning"], sources)
