"""Translation workflow: extract each plugin's strings into its own domain and update catalogues.

    python -m assistant.i18n_tool extract   # locales/templates/<domain>.pot
    python -m assistant.i18n_tool update    # merge into locales/<lang>/LC_MESSAGES/<domain>.po
    python -m assistant.i18n_tool missing   # list Swedish entries still untranslated (exit 1)
    python -m assistant.i18n_tool fill DOMAIN LANG FILE.json   # set translations from a JSON map
"""
from __future__ import annotations

import importlib
import sys
from pathlib import Path

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_file
from babel.messages.pofile import read_po, write_po

from .i18n import LANGUAGES, LOCALES_DIR, SOURCE_LANGUAGE
from .plugins import BUILTINS, plugin_name

KEYWORDS = {"_": None, "N_": None, "ngettext": (1, 2)}
ROOT = LOCALES_DIR.parent


def domains() -> dict[str, list[Path]]:
    """Each domain and the source files its strings come from (core + built-in plugins)."""
    result = {"assistant": sorted((ROOT / "assistant").rglob("*.py"))}
    for module_name in BUILTINS:
        module = importlib.import_module(module_name)
        path = Path(module.__file__ or "")
        files = sorted(path.parent.rglob("*.py")) if path.name == "__init__.py" else [path]
        result[plugin_name(module)] = files
    return result


def extract_domain(files: list[Path], domain: str) -> Catalog:
    """A template catalogue of every translatable string in the files."""
    catalog = Catalog(domain=domain, project="mingel", charset="utf-8")
    for file in files:
        for lineno, message, comments, context in extract_from_file(
                "python", str(file), keywords=KEYWORDS, comment_tags=("TRANSLATORS:",)):
            catalog.add(message, None, [(str(file.relative_to(ROOT)), lineno)],
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
    msgstr[1] the plural), wherever it is empty: translators' tools then show English as
    done, not as a gap; returns how many were filled."""
    count = 0
    for message in catalog:
        if not message.id:
            continue
        if isinstance(message.id, tuple | list):
            if not (isinstance(message.string, tuple | list) and all(message.string)):
                message.string = tuple(message.id)
                count += 1
        elif not message.string:
            message.string = message.id
            count += 1
    return count


def missing(lang: str = "sv", locales: Path = LOCALES_DIR) -> list[str]:
    """Every message of every domain that has no translation in `lang`."""
    problems = []
    for domain, files in domains().items():
        template = extract_domain(files, domain)
        po_path = locales / lang / "LC_MESSAGES" / f"{domain}.po"
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
                problems.append(f"{domain}: {loc[0]}:{loc[1]}: {message.id!r}")
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


def main(argv: list[str]) -> int:
    """CLI for the workflow; anything else (`--help`, a typo) prints the usage and writes
    nothing."""
    command = argv[0] if argv else "update"
    if command not in COMMANDS or (command == "fill" and len(argv) != 4):
        asked = command in ("-h", "--help", "help")
        print(f"usage:\n{__doc__.split(chr(10), 2)[2].rstrip()}",
              file=sys.stdout if asked else sys.stderr)
        return 0 if asked else 2
    if command == "fill":
        import json
        data = json.loads(Path(argv[3]).read_text(encoding="utf-8"))
        print(f"{fill(argv[1], argv[2], data)} translations set")
        return 0
    if command == "missing":
        problems = missing(argv[1] if len(argv) > 1 else "sv")
        print("\n".join(problems) or "all translated")
        return 1 if problems else 0
    templates = LOCALES_DIR / "templates"
    templates.mkdir(parents=True, exist_ok=True)
    for domain, files in domains().items():
        template = extract_domain(files, domain)
        with (templates / f"{domain}.pot").open("wb") as f:
            write_po(f, template, width=100)
        if command == "update":
            for lang in LANGUAGES:
                print(update(template, domain, lang))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
