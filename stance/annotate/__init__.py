"""``stance annotate``: a browser annotation tool with a model in the loop.

* :mod:`.session`: the sentences of a run, request checking, retraining, progress.
* :mod:`.store`: the durable journal and the output file (resume, no duplicates).
* :mod:`.queue`: the order of work (document order, uncertainty, shared sample).
* :mod:`.server`: the Flask app; :mod:`.convert`: doccano, Label Studio, Prodigy.
* :mod:`._engine`: the one module that imports the rest of ``stance``.

Flask is needed only here: ``pip install 'stance[annotate]'``.
"""
