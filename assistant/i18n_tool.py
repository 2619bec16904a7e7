"""Translation workflow: extract each plugin's strings into its own domain and update catalogues.

    python -m assistant.i18n_tool extract   # locales/templates/<domain>.pot
    python -m assistant.i18n_tool update    # merge into locales/<lang>/LC_MESSAGES/<domain>.po
    python -m assistant.i18n_tool missing   # list Swedish entries still untranslated (exit 1)
    python -m assistant.i18n_tool fill DOMAIN LANG FILE.json   # set translations from a JSON map

Add --plugin PACKAGE to any of them for a third-party plugin: its package directory (or its
module file, its locales directory or its importable module name); the domain is its NAME,
the catalogues are PACKAGE/locales/<lang>/LC_MESSAGES/NAME.po and the template
PACKAGE/locales/NAME.pot, where the core looks for them.
"""
from __future__ import annotations

import ast
import importlib
import importlib.util
import sys
from dataclasses import dataclass
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from .i18n import LANGUAGES, LOCALES_DIR, SOURCE_LANGUAGE
from .plugins import BUILTINS, plugin_name

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
ROOT = LOCALES_DIR.parent


@dataclass(frozen=True)
class Domain:
    """One gettext domain: where its strings come from and where its catalogues live."""

    name: str
    files: list[Path]
    locales: Path
    template: Path
    root: Path
    """Source locations in the catalogues are written relative to this directory."""


def domains() -> list[Domain]:
    """The core's domain and each built-in plugin's, in the project's `locales/`."""
    found = {"assistant": sorted((ROOT / "assistant").rglob("*.py"))}
    for module_name in BUILTINS:
        module = importlib.import_module(module_name)
        path = Path(module.__file__ or "")
        files = sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]
        found[plugin_name(module)] = files
    return [Domain(name, files, LOCALES_DIR, LOCALES_DIR / "templates" / f"{name}.pot", ROOT)
            for name, files in found.items()]


def plugin_domain(spec: str) -> Domain:
    """A third-party plugin's domain, from its package directory, module file, locales
    directory or importable module name (found without running it): named by its `NAME`,
    with its catalogues in the `locales/` next to its module, where the core reads them."""
    path = Path(spec)
    if path.name == "locales" and path.is_dir():
        path = path.parent
    if path.is_dir() and (path / "__init__.py").is_file():
        source = path / "__init__.py"
    elif path.suffix == ".py" and path.is_file():
        source = path
    else:
        try:
            found = importlib.util.find_spec(spec)
        except (ImportError, ValueError):
            found = None
        if found is None or not found.origin or not found.origin.endswith(".py"):
            raise ValueError(f"no plugin at {spec}: give its package directory (with "
                             "__init__.py), its module file or its module name")
        source = Path(found.origin)
    source = source.resolve()
    package = source.name == "__init__.py"
    files = sorted(source.parent.rglob("*.py")) if package else [source]
    name = _declared_name(source) or (source.parent.name if package else source.stem)
    locales = source.parent / "locales"
    return Domain(name, files, locales, locales / f"{name}.pot",
                  source.parent.parent if package else source.parent)


def _declared_name(source: Path) -> str | None:
    """The module's `NAME = "…"`, read without importing it (the core's name for it)."""
    for node in ast.parse(source.read_text(encoding="utf-8")).body:
        target = node.targets[0] if isinstance(node, ast.Assign) and len(node.targets) == 1 \
            else node.target if isinstance(node, ast.AnnAssign) else None
        if isinstance(target, ast.Name) and target.id == "NAME" \
                and isinstance(node.value, ast.Constant) and isinstance(node.value.value, str):
            return node.value.value
    return None


def extract_domain(files: list[Path], domain: str, root: Path = ROOT) -> Catalog:
    """A template catalogue of every translatable string in the files."""
    catalog = Catalog(domain=domain, project="mingel", charset="utf-8")
    for file in files:
        for lineno, message, comments, context in extract_from_file(
                "python", str(file), keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
            catalog.add(message, None, [(file.relative_to(root).as_posix(), lineno)],
                        auto_comments=comments, context=context)
    return catalog


def update(template: Catalog, domain: str, lang: str, locales: Path = LOCALES_DIR) -> Path:
    """Merge the template into one language's catalogue, keeping existing translations."""
    po_path = locales / lang / "LC_MESSAGES" / f"{domain}.po"
    po_path.parent.mkdir(parents=True, exist_ok=True)
    if po_path.exists():
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=lang, domain=domain)
        catalog.update(template, no_fuzzy_matching=True)
    else:
        catalog = Catalog(locale=lang, domain=domain, project="mingel", charset="utf-8")
        catalog.update(template, no_fuzzy_matching=True)
    catalog.fuzzy = False
    if lang == SOURCE_LANGUAGE:
        as_source(catalog)
    with po_path.open("wb") as f:
        write_po(f, catalog, width=100, omit_header=False, sort_output=False,
                 ignore_obsolete=True)
    return po_path


def as_source(catalog: Catalog) -> int:
    """The source language's msgstr = msgid, plural forms too (msgstr[0] the singular,
    msgstr[1] the plural), wherever it is empty, a form written by hand kept: translators'
    tools then show English as done, not as a gap; returns how many were filled."""
    count = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            have = message.string if isinstance(message.string, tuple | list) else ()
            if not all(have) or len(have) < len(message.id):
                message.string = tuple(have[i] if i < len(have) and have[i] else form
                                       for i, form in enumerate(message.id))
                count += 1
        elif not message.string:
            message.string = message.id
            count += 1
    return count


def missing(lang: str = "sv", chosen: list[Domain] | None = None) -> list[str]:
    """Every message of every domain (or of the chosen ones) that has no translation in
    `lang`."""
    problems = []
    for domain in domains() if chosen is None else chosen:
        template = extract_domain(domain.files, domain.name, domain.root)
        po_path = domain.locales / lang / "LC_MESSAGES" / f"{domain.name}.po"
        translated: dict[object, object] = {}
        if po_path.exists():
            with po_path.open("rb") as f:
                translated = {m.id: m.string for m in read_po(f, locale=lang) if m.id
                              and not m.fuzzy}
        for message in template:
            if not message.id:
                continue
            string = translated.get(message.id)
            if not string or (isinstance(string, tuple | list) and not all(string)):
                loc = message.locations[0] if message.locations else ("?", 0)
                problems.append(f"{domain.name}: {loc[0]}:{loc[1]}: {message.id!r}")
    return problems


def fill(domain: str, lang: str, translations: dict[str, str | list[str]],
         locales: Path = LOCALES_DIR) -> int:
    """Set translations (msgid → text, or a list of plural forms); returns how many were set."""
    po_path = locales / lang / "LC_MESSAGES" / f"{domain}.po"
    with po_path.open("rb") as f:
        catalog = read_po(f, locale=lang, domain=domain)
    count = 0
    for message in catalog:
        key = message.id[0] if isinstance(message.id, tuple) else message.id
        if key and key in translations:
            value = translations[key]
            message.string = tuple(value) if isinstance(value, list) else value
            message.flags.discard("fuzzy")
            count += 1
    catalog.fuzzy = False
    with po_path.open("wb") as f:
        write_po(f, catalog, width=100, ignore_obsolete=True)
    return count


COMMANDS = ("extract", "update", "missing", "fill")


def _usage(asked: bool) -> int:
    print(f"usage:\n{__doc__.split(chr(10), 2)[2].rstrip()}",
          file=sys.stdout if asked else sys.stderr)
    return 0 if asked else 2


def main(argv: list[str]) -> int:
    """CLI for the workflow; anything else (`--help`, a typo) prints the usage and writes
    nothing."""
    args, plugin = list(argv), None
    for i, arg in enumerate(args):
        if arg == "--plugin" or arg.startswith("--plugin="):
            plugin = arg.partition("=")[2] or (args[i + 1] if i + 1 < len(args) else "")
            del args[i:i + (1 if "=" in arg else 2)]
            break
    command = args[0] if args else "update"
    if command not in COMMANDS or (command == "fill" and len(args) != 4) or plugin == "":
        return _usage(command in ("-h", "--help", "help"))
    try:
        chosen = [plugin_domain(plugin)] if plugin is not None else domains()
    except ValueError as exc:
        print(f"i18n_tool: {exc}", file=sys.stderr)
        return 2
    if command == "fill":
        import json
        locales = LOCALES_DIR
        if plugin is not None:
            if args[1] != chosen[0].name:
                print(f"i18n_tool: the plugin at {plugin} is {chosen[0].name!r}, not "
                      f"{args[1]!r}", file=sys.stderr)
                return 2
            locales = chosen[0].locales
        data = json.loads(Path(args[3]).read_text(encoding="utf-8"))
        print(f"{fill(args[1], args[2], data, locales)} translations set")
        return 0
    if command == "missing":
        problems = missing(args[1] if len(args) > 1 else "sv", chosen)
        print("\n".join(problems) or "all translated")
        return 1 if problems else 0
    for domain in chosen:
        template = extract_domain(domain.files, domain.name, domain.root)
        domain.template.parent.mkdir(parents=True, exist_ok=True)
        with domain.template.open("wb") as f:
            write_po(f, template, width=100)
        if command == "update":
            for lang in LANGUAGES:
                print(update(template, domain.name, lang, domain.locales))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
