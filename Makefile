# Two commands set everything up on a fresh machine: `make run` and `make test`.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: run test bench lint i18n-extract i18n-update clean

$(STAMP): pyproject.toml $(wildcard examples/*/pyproject.toml)
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet -e ".[test]"
	for example in $(dir $(wildcard examples/*/pyproject.toml)); do \
		$(BIN)/pip install --quiet -e $$example || exit 1; done
	touch $(STAMP)

run: $(STAMP)
	$(BIN)/mingel run

test: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider

bench: $(STAMP)
	$(BIN)/pip install --quiet -e ".[test,bench]"
	$(BIN)/python -m bench $(ARGS)

lint: $(STAMP)
	$(BIN)/ruff check assistant plugins tests bench examples

# Translations: one gettext domain per plugin (see docs/translations.md).
i18n-extract: $(STAMP)
	$(BIN)/python -m assistant.i18n_tool extract

i18n-update: $(STAMP)
	$(BIN)/python -m assistant.i18n_tool update

clean:
	rm -rf $(VENV) .pytest_cache
