# Every target builds what it needs: `make test` on a fresh clone creates .venv, installs torch, then the project.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
# The CPU wheel lies on disk on our CI machines; on a GPU machine pass e.g. TORCH_SPEC="torch>=2.2".
TORCH_SPEC ?= torch==2.13.0
# Extra test flags to run (e.g. FLAGS="slow"); notebooks to test (a glob, default all).
FLAGS ?=
NB ?=
N_WORKERS ?= 2

.PHONY: install test demo export clean clean-notebooks configs readme docs all
all: test

$(VENV)/.installed: settings.ini setup.py
	@test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --upgrade pip
	$(PY) -m pip install -q "$(TORCH_SPEC)"
	$(PY) -m pip install -q -e ".[dev]"
	@touch $@

install: $(VENV)/.installed

test: install
	$(PY) .ci/nbtest.py --flags "$(FLAGS)" --n_workers $(N_WORKERS) $(if $(NB),--path "$(NB)")

# The main job on the embedded offline default: four tiny runs, their table and curves (runs/demo/report/).
demo: install
	$(VENV)/bin/hyperrestart demo --out runs/demo

export: install
	$(VENV)/bin/nbdev_export

# Strip notebook metadata and execution counts (what CI checks); needs the venv of `make install`, builds nothing.
clean-notebooks:
	@test -x $(VENV)/bin/nbdev_clean || { echo "no $(VENV)/bin/nbdev_clean: run make install first"; exit 1; }
	$(VENV)/bin/nbdev_clean

# Remove build outputs (the docs site and Python caches); run folders and records are never touched.
clean:
	rm -rf _docs
	find . -name __pycache__ -type d -not -path './.venv*' -prune -exec rm -rf {} +

readme: install
	$(PY) .ci/readme.py

docs: install
	bash .ci/docs.sh

# Rewrite the packaged JSON configurations from nbs/12_configs.ipynb (its test fails while they differ).
configs: install
	cd nbs && ../$(PY) -c "from hyperrestart_nb.configs import write_configs; from hyperrestart_nb.cli import config_dir; print(len(write_configs(config_dir())), 'files')"
