"""The measurement harness behind ``make bench``: web load, corpus scale, cold start and the segmenter.

``python -m bench.run`` runs it and writes ``bench/RESULTS.md``; see ``bench/README.md``. Generated data and raw
outputs go under ``bench/out/`` (not committed).
"""
