"""docs/plugins.md stays true: every hook documented with its real signature, links that
resolve, the harness fully described, and the worked example plugin passing its tests."""
from __future__ import annotations

import ast
import importlib
import inspect
import re
import sys
from pathlib import Path
from typing import Any

import pytest

from assistant import hookspecs
from assistant.hooks import Hooks
from assistant.testing import ChatHarness

ROOT = Path(__file__).resolve().parent.parent
DOC = ROOT / "docs" / "plugins.md"
TEXT = DOC.read_text(encoding="utf-8")
HOOKS = {name: fn for name, fn in vars(hookspecs).items()
         if callable(fn) and hasattr(fn, "mingel_spec")}


def reference() -> str:
    """The "Hook reference" chapter."""
    start = TEXT.index("\n## Hook reference")
    end = TEXT.index("\n## ", start + 1)
    return TEXT[start:end]


def sections() -> dict[str, str]:
    """Each `### `hook`` section of the reference, by hook name."""
    parts = re.split(r"^### `(\w+)`\s*$", reference(), flags=re.MULTILINE)
    names = parts[1::2]
    assert len(names) == len(set(names)), f"a hook is documented twice: {names}"
    return dict(zip(names, parts[2::2], strict=True))


def documented_signature(section: str) -> ast.FunctionDef | ast.AsyncFunctionDef:
    """The first `def` in the section's first code block, parsed."""
    block = re.search(r"```python\n(.*?)```", section, flags=re.DOTALL)
    assert block, "no ```python block with the signature"
    match = re.search(r"^(async def|def) .*?\)\s*->\s*[^\n]+", block.group(1),
                      flags=re.DOTALL | re.MULTILINE)
    assert match, "the first code block has no `def name(args) -> result` line"
    tree = ast.parse(match.group(0) + ": ...")
    return tree.body[0]


def canonical(annotation: str | None) -> str | None:
    """An annotation written the one way ast writes it."""
    return None if annotation is None else ast.unparse(ast.parse(annotation, mode="eval"))


def real_signature(fn: Any) -> tuple[list[str], list[str | None], str | None]:
    signature = inspect.signature(fn)
    params = list(signature.parameters.values())
    annotations = [canonical(p.annotation if p.annotation is not p.empty else None)
                   for p in params]
    result = signature.return_annotation
    return ([p.name for p in params], annotations,
            canonical(result if result is not signature.empty else None))


def test_hookspecs_are_found() -> None:
    assert {"register_commands", "tick", "attendees", "forget_user"} <= set(HOOKS)


@pytest.mark.parametrize("name", sorted(HOOKS))
def test_every_hook_is_documented_with_its_exact_signature(name: str) -> None:
    spec = HOOKS[name]
    section = sections().get(name)
    assert section is not None, f"docs/plugins.md has no section ### `{name}` in Hook reference"
    doc = documented_signature(section)
    assert doc.name == name
    names, annotations, result = real_signature(spec)
    assert [a.arg for a in doc.args.args] == names, f"{name}: parameters differ"
    assert [canonical(ast.unparse(a.annotation)) if a.annotation else None
            for a in doc.args.args] == annotations, f"{name}: parameter types differ"
    assert canonical(ast.unparse(doc.returns)) == result, f"{name}: result type differs"
    is_async = inspect.iscoroutinefunction(spec)
    assert isinstance(doc, ast.AsyncFunctionDef) == is_async, f"{name}: async-ness differs"
    assert ("**Async**" if is_async else "**Sync**") in section
    firstresult = bool(spec.mingel_spec.get("firstresult"))
    assert ("firstresult" in section) == firstresult, \
        f"{name}: the section must say 'firstresult' exactly when the hook is one"


def test_no_hook_is_documented_that_does_not_exist() -> None:
    assert set(sections()) - set(HOOKS) == set()


def test_every_hook_has_an_example() -> None:
    for name, section in sections().items():
        assert section.count("```python") >= 2, f"{name}: no example after the signature"


def test_every_hook_can_be_called_through_hooks() -> None:
    assert {name for name in HOOKS if not hasattr(Hooks, name)} == set()


def slug(heading: str) -> str:
    """GitHub's anchor for a heading."""
    text = re.sub(r"[^\w\- ]", "", heading.strip().lower())
    return text.replace(" ", "-")


def test_links_and_anchors_resolve() -> None:
    anchors = {slug(h) for h in re.findall(r"^#+ (.+)$", TEXT, flags=re.MULTILINE)}
    for target in re.findall(r"\]\(([^)\s]+)\)", TEXT):
        path, _, anchor = target.partition("#")
        if path.startswith(("http://", "https://")):
            continue
        if path:
            assert (DOC.parent / path).exists(), f"broken link {target}"
        elif anchor:
            assert anchor in anchors, f"broken anchor #{anchor}"


def test_the_harness_is_fully_described() -> None:
    testing = TEXT[TEXT.index("\n## Testing your plugin"):]
    public = [name for name, member in vars(ChatHarness).items() if not name.startswith("_")
              and (callable(member) or isinstance(member, staticmethod))]
    missing = [name for name in public
               if f"chat.{name}" not in testing and name not in ("start", "stop")]
    assert missing == []
    assert "untranslated(" in testing and "mingel_chat(" in testing


def example(filename: str) -> str:
    """A code block of the guide whose first line is `# filename`."""
    for block in re.findall(r"```python\n(.*?)```", TEXT, flags=re.DOTALL):
        if block.startswith(f"# {filename}\n"):
            return block
    raise AssertionError(f"no example {filename} in docs/plugins.md")


@pytest.fixture
def wishes_example(tmp_path: Path):
    (tmp_path / "wishes.py").write_text(example("wishes.py"), encoding="utf-8")
    (tmp_path / "test_wishes.py").write_text(example("test_wishes.py"), encoding="utf-8")
    sys.path.insert(0, str(tmp_path))
    try:
        yield importlib.import_module("test_wishes")
    finally:
        sys.path.remove(str(tmp_path))
        for module in ("wishes", "test_wishes"):
            sys.modules.pop(module, None)


async def test_the_worked_example_passes_its_own_tests(wishes_example, mingel_chat) -> None:
    tests = {name: fn for name, fn in vars(wishes_example).items() if name.startswith("test_")}
    assert len(tests) >= 3
    for test in tests.values():
        await test(mingel_chat)


async def test_the_worked_example_passes_end_to_end_through_telegram(wishes_example,
                                                                   telegram_bot) -> None:
    """The guide's end-to-end example: the harness's plugin behind the real PTB Application
    and the Bot API stub that ships with Mingel, as a plugin's own tests get them."""
    (Path(wishes_example.__file__).parent / "test_wishes_e2e.py").write_text(
        example("test_wishes_e2e.py"), encoding="utf-8")
    try:
        e2e = importlib.import_module("test_wishes_e2e")
        await e2e.test_a_wish_through_telegram(telegram_bot)
    finally:
        sys.modules.pop("test_wishes_e2e", None)


async def test_documented_harness_options_behave_as_described(mingel_chat) -> None:
    limited = await mingel_chat(["plugins.basics"])
    replies = [await limited.send("/help", 5) for _ in range(10)]
    assert "very quickly" in limited.text(replies[8])
    free = await mingel_chat(["plugins.basics"], flood_control=False)
    replies = [await free.send("/help", 5) for _ in range(20)]
    assert all("very quickly" not in free.text(r) for r in replies)
    await free.send("/start", 6)
    ctx = free.context("basics")
    free.block(6)
    assert ctx.send_to(6, lambda target: target.reply("hello"), key="first")
    await free.deliver()
    assert free.sent_to(6) == [] and not free.assistant.users.reachable(6)
    assert not ctx.send_to(6, lambda target: target.reply("again"))


def test_the_guide_points_to_real_examples() -> None:
    for path in ("plugins/basics.py", "examples/feedback/README.md",
                 "examples/feedback/pyproject.toml"):
        assert (ROOT / path).is_file()
    assert 'feedback = "mingel_feedback"' in (ROOT / "examples/feedback/pyproject.toml").read_text()
    assert "MINGEL_DISABLED_PLUGINS" in TEXT and '"mingel.plugins"' in TEXT
