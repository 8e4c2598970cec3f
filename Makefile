# `make run`: set up .venv and start the briefbot web app on the default article.
# `make test`: set up .venv, then format check, lint, types and the whole test suite.
# The project is installed as a regular (non-editable) package and the tests import it from
# there, so whatever works in the tests works from an installed package, not just a checkout.
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# llama-cpp-python (test extras, `--llm llamacpp:`) is compiled from source. A native build
# (-march=native, llama.cpp's default) crashed with SIGILL on the very Xeon (AVX-512, AMX) it was
# built on, so build for a fixed x86-64 baseline: AVX2/FMA/F16C/BMI2, no AVX-512, no AMX.
# pip caches built wheels by source, not by CMAKE_ARGS, so the wheel gets a cache folder of its
# own, named after the flags: a changed flag set is a new folder and a fresh build.
LLAMA_CMAKE_ARGS := -DGGML_NATIVE=OFF -DGGML_AVX=ON -DGGML_AVX2=ON -DGGML_FMA=ON \
	-DGGML_F16C=ON -DGGML_BMI2=ON -DGGML_AVX512=OFF -DGGML_AMX_TILE=OFF -DGGML_AMX_INT8=OFF \
	-DGGML_AMX_BF16=OFF
LLAMA_KEY := $(shell echo '$(LLAMA_CMAKE_ARGS)' | cksum | cut -d' ' -f1)
LLAMA_STAMP := $(VENV)/.llama-portable-$(LLAMA_KEY)
LLAMA_CACHE := $(HOME)/.cache/briefbot/pip-llama-$(LLAMA_KEY)

.PHONY: run test check setup install browser clean reader reader-pack support-pack

run: install
	$(BIN)/briefbot serve

test: install browser check
	$(BIN)/pytest -q

# The UI tests drive Debian's Chromium (browser downloads do not work offline). Installed
# here when missing and we are root; otherwise the browser tests skip and say why.
browser:
	@if [ -x /usr/bin/chromium ]; then :; \
	elif [ "$$(id -u)" = 0 ] && command -v apt-get >/dev/null; then \
		apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null; \
	else echo "note: /usr/bin/chromium missing and not root: browser tests will be skipped"; fi

install: $(STAMP)
	$(BIN)/pip install -q --no-deps --force-reinstall .

check: $(STAMP)
	$(BIN)/ruff format --check bot index prompts tests
	$(BIN)/ruff check bot index prompts tests
	$(BIN)/mypy bot index

setup: $(STAMP)

# torch goes first and pinned: the CPU wheel on disk; an unpinned torch would pull CUDA.
# Then llama-cpp-python, portably (above), so ".[test]" finds it installed and builds nothing.
$(STAMP): pyproject.toml Makefile
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q torch==2.13.0
	$(MAKE) --no-print-directory $(LLAMA_STAMP)
	$(BIN)/pip install -q ".[test]"
	touch $(STAMP)

$(LLAMA_STAMP):
	rm -f $(VENV)/.llama-portable-*
	CMAKE_ARGS="$(LLAMA_CMAKE_ARGS)" $(BIN)/pip install -q --force-reinstall --no-deps \
		--cache-dir "$(LLAMA_CACHE)" "llama-cpp-python==0.3.36"
	touch $(LLAMA_STAMP)

# `make reader`: train a reader on 2 CPU cores from ../shared/squad/train-collected.json (about
# 66 minutes; checkpoints in .reader-run/, `--resume` continues a stopped run). This is the
# recipe of the CPU weights shipped until 2026-11-27 (figures in BENCHMARKS.md); the shipped
# weights now come from the GPU run below. The result goes to .reader-run/out, so the shipped
# file is never overwritten: to ship it, copy it to bot/qa/reader_model/, put the printed
# sha256 in bot/qa/reader.py and choose the decline threshold with
# `briefbot eval squad ../shared/squad/dev-v2.0.json --write-weights`.
reader: $(STAMP)
	$(BIN)/python -m bot.dev.train_reader --out .reader-run/out --time-budget 66
	sha256sum .reader-run/out/reader.safetensors

# `make reader-pack`: the same windows (all 87,599 training questions: --max-windows 200000)
# plus 30,000 off-topic negatives (a question paired with another question's window), packed
# for a rented GPU, which needs neither spaCy nor the base package: .gpu/features.npz.xz
# and a slim fp16 copy of the base model in .gpu/base (54 MB together). The shipped weights
# were trained there (an H100, 3.3 minutes; bot/qa/reader_model/MODEL_CARD.md) with
#   python3 -m bot.dev.train_reader --out OUT --work WORK --device cuda \
#       --features .gpu/features.npz.xz --base .gpu/base --batch 64 --lr 1e-4 --epochs 2 \
#       --time-budget 3.3
reader-pack: $(STAMP)
	$(BIN)/python -m bot.dev.train_reader --out .reader-run/out --max-windows 200000 \
		--off-topic 30000 --pack .gpu/features.npz.xz

# `make support-pack`: the training pairs of the support model, an experiment not shipped
# (bot/dev/support_model.py; figures in BENCHMARKS.md, logs in docs/support-training/):
# about 130,000 claims made from 12,000 SQuAD training paragraphs, the claim sets' texts left out,
# encoded and packed with the base model's word embeddings for a rented GPU:
# .gpu/support.npz.xz and .gpu/sbase (27 MB together). Its candidate v3 was trained there (an
# H200, 2.5 minutes) with
#   python3 -m bot.dev.train_support --features .gpu/support.npz.xz --base .gpu/sbase \
#       --from-reader --out OUT --device cuda --epochs 3 --batch 64 --lr 5e-5 --time-budget 3
# and scored with `python -m bot.dev.support_scan --sets dev heldout ... --weights OUT/...`.
support-pack: $(STAMP)
	$(BIN)/python -m bot.dev.train_support --pack .gpu/support.npz.xz

clean:
	rm -rf $(VENV)
