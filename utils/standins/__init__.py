"""The offline stand-in hub: checkpoints, GLUE data and metrics served to unchanged course code.

Without internet, ``utils.setup()`` points the Hugging Face libraries at a
hub cache built inside the repository (``.standin/``), so that
``from_pretrained("google-bert/bert-base-uncased")``, ``load_dataset("nyu-mll/glue", "mrpc")``
and ``evaluate.load("glue", "mrpc")`` work as written.

- ``hub.py``: where the stand-ins live, how they are switched on and (re)built;
- ``models.py``: checkpoints with the real configurations and vocabularies, random weights;
- ``cased_vocab.py``: the cased BERT vocabulary, derived from the real uncased one;
- ``data.py`` and ``synthetic_text.py``: GLUE with the real schemas and sizes, synthetic text;
- ``metrics.py`` and ``metric_scripts/``: evaluate's accuracy, f1 and glue metrics.

``python -m utils.standins`` builds them ahead of time.
"""
