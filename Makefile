# The course's commands. `make lab` opens the course, `make test` runs every test.
# Both create .venv and install the pinned requirements first if needed.
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
INSTALLED := $(VENV)/.installed
LAB_ARGS ?=
# JupyterLab refuses to start as root (containers, some CI) unless told it may.
ROOT_ARGS := $(if $(filter 0,$(shell id -u)),--allow-root)

.PHONY: install lab test test-fast standins exercises course-map strip clean-standins

$(INSTALLED): requirements.txt requirements-dev.txt requirements-nodeps.txt
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps -r requirements-nodeps.txt
	touch $(INSTALLED)

install: $(INSTALLED)

lab: $(INSTALLED)
	$(BIN)/jupyter lab --ServerApp.root_dir=. notebooks/00_start_here.ipynb $(ROOT_ARGS) $(LAB_ARGS)

test: $(INSTALLED)
	$(BIN)/python -m pytest

# Lint and the unit tests, without executing any notebook: the inner loop.
test-fast: $(INSTALLED)
	$(BIN)/python -m pytest tests -m "not integration"

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
