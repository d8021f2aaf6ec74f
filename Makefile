# The course's commands. `make lab` opens the course, `make test` runs every test.
# Each target calls course.py, the one implementation (on Windows, without make:
# `py course.py lab`, `py course.py test`). Commands that need the libraries create .venv and
# install the pinned requirements first (with uv; `python3 course.py install --pip` uses pip).
PYTHON ?= python3
# Extra arguments for JupyterLab: make lab LAB_ARGS="--no-browser"
LAB_ARGS ?=

.PHONY: install lab lab-ko test test-fast test-online standins exercises course-map strip clean-standins \
	git-filter browser

install:
	$(PYTHON) course.py install

lab:
	$(PYTHON) course.py lab $(LAB_ARGS)

lab-ko:
	$(PYTHON) course.py lab-ko $(LAB_ARGS)

test:
	$(PYTHON) course.py test

test-fast:
	$(PYTHON) course.py test-fast

test-online:
	$(PYTHON) course.py test-online

standins:
	$(PYTHON) course.py standins

exercises:
	$(PYTHON) course.py exercises

course-map:
	$(PYTHON) course.py course-map

strip:
	$(PYTHON) course.py strip

clean-standins:
	$(PYTHON) course.py clean-standins

git-filter:
	@$(PYTHON) course.py git-filter

browser:
	@$(PYTHON) course.py browser
