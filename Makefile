# The course's commands. `make lab` opens the course, `make test` runs every test.
# Both create .venv and install the pinned requirements first if needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
LAB_ARGS ?=
# JupyterLab refuses to start as root (containers, some CI) unless told it may.
ROOT_ARGS := $(if $(filter 0,$(shell id -u)),--allow-root)
# JupyterLab for the course: lesson 00 opens first (and its URL is the one printed), links look
# like links (jupyter-settings/custom/custom.css), no news popup (jupyter-settings/labconfig/).
START_PAGE := /lab/tree/notebooks/00_start_here.ipynb
LAB_SETTINGS := JUPYTER_CONFIG_PATH="$(CURDIR)/jupyter-settings"
COURSE_LAB_ARGS := --ServerApp.root_dir=. --LabApp.default_url=$(START_PAGE) \
	--LabApp.custom_css=True \
	--ServerApp.tornado_settings=static_custom_path="$(CURDIR)/jupyter-settings/custom"

.PHONY: install lab test test-fast test-online standins exercises course-map strip clean-standins \
	git-filter browser

$(INSTALLED): requirements.txt requirements-dev.txt requirements-nodeps.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	@$(MAKE) --no-print-directory git-filter
	touch $(INSTALLED)

install: $(INSTALLED)

lab: $(INSTALLED)
	$(LAB_SETTINGS) $(BIN)/jupyter lab $(COURSE_LAB_ARGS) $(ROOT_ARGS) $(LAB_ARGS)

test: $(INSTALLED) browser
	$(BIN)/python -m pytest

# Git sees notebooks through the course's clean filter (see .gitattributes), so running one
# leaves `git status` clean. Set only in a clone's own config: a linked worktree shares its
# config with the main checkout, which sets the filter up there.
git-filter:
	@if [ "$$(git rev-parse --git-dir 2>/dev/null)" = "$$(git rev-parse --git-common-dir 2>/dev/null)" ] \
		&& [ -n "$$(git rev-parse --git-dir 2>/dev/null)" ]; then \
		git config filter.course-notebooks.clean "$(BIN)/python -m utils.instructors.notebook_filter" && \
		git config filter.course-notebooks.smudge cat && \
		echo "Git filter for notebooks set up (outputs stay out of git)."; \
	else echo "Not the main checkout of a git clone: git filter for notebooks not set up here."; fi

# The browser tests (tests/browser/) drive Chromium with Playwright: Playwright's own download
# where it can reach it, else Debian's chromium (as root, with apt), else say what to install.
browser: $(INSTALLED)
	@$(BIN)/python -m utils.instructors.find_chromium --install

# Lint and the unit tests, without executing any notebook: the inner loop (fewer odd values
# per task in the property test than make test runs).
test-fast: $(INSTALLED)
	COURSE_ODD_EXAMPLES=5 $(BIN)/python -m pytest tests -m "not integration"

# The course online, alone (tests/online/, the tests marked online; also part of make test):
# a local Hub on 127.0.0.1 serves the stand-ins through the Hub's HTTP API, and the lessons
# download from it.
test-online: $(INSTALLED)
	$(BIN)/python -m pytest tests/online

standins: $(INSTALLED)
	$(BIN)/python -m utils.standins

exercises: $(INSTALLED)
	$(BIN)/python -m utils.instructors.make_exercises

course-map: $(INSTALLED)
	$(BIN)/python -m utils.instructors.course_map

strip: $(INSTALLED)
	$(BIN)/python -m utils.instructors.notebook_hygiene

clean-standins:
	rm -rf .standin .standin.lock
