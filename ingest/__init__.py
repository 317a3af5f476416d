"""Reading documents: turn files into plain records (text, sections, passages, quotations, entities).

Nothing here imports `index` or `queries`, so this package can be tested and run in a
worker process on its own.
"""
