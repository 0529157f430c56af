# Two commands do all set-up on a fresh machine: `make demo` and `make test`.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: install browser pdf wheel test demo lint bench bench-tools clean

install: $(STAMP)

$(STAMP): setup.cfg pyproject.toml
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[test]'
	touch $(STAMP)

# Debian's Chromium and ChromeDriver, for the report's browser tests. Installed when missing
# and this user can (root with apt-get); otherwise those tests are skipped with the reason.
browser:
	@if [ -x /usr/bin/chromium ] && [ -x /usr/bin/chromedriver ]; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && apt-get install -y -qq chromium chromium-driver >/dev/null; \
	else echo "chromium or chromedriver missing and not installable here: browser tests skip"; fi

# Debian's poppler-utils (pdftoppm, pdftotext, pdfimages), for the PDF report's test: it renders
# the demo's PDF pages to PNG. The PDF itself is printed by Chromium (the browser target).
# Installed when missing and this user can (root with apt-get); otherwise that test is skipped.
pdf:
	@if command -v pdftoppm >/dev/null && command -v pdftotext >/dev/null; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && apt-get install -y -qq poppler-utils >/dev/null; \
	else echo "poppler-utils missing and not installable here: the PDF test skips"; fi

# The wheel, installed into a fresh venv outside the checkout and run from a temporary folder
# (python3.11 and python3.13, when the machine has them): what `pip install napaudit` gives.
wheel: install
	.ci/check-wheel

test: install browser pdf wheel
	$(BIN)/python -m pytest -q -n auto --dist loadscope

demo: install
	$(BIN)/napaudit demo

lint: install
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

bench: install
	$(BIN)/python bench/compare.py
	$(BIN)/python bench/crawl.py
	$(BIN)/python bench/extract.py
	$(BIN)/python bench/reading.py

# Debian's valgrind, for bench/instructions.py (instructions counted, not timed). Installed when
# missing and this user can (root with apt-get).
bench-tools:
	@if command -v valgrind >/dev/null; then :; \
	elif command -v apt-get >/dev/null && [ "$$(id -u)" = 0 ]; then \
	  apt-get update -qq && apt-get install -y -qq valgrind >/dev/null; \
	else echo "valgrind missing and not installable here: bench/instructions.py cannot run"; fi

clean:
	rm -rf $(VENV) build *.egg-info .pytest_cache .hypothesis napaudit-report
