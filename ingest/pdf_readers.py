"""The names of the PDF character readers, in a module light enough for the command line to import.

`pypdfium2` reads characters with pdfium (C, fast) and is the default; `pdfplumber` reads them
with pdfminer (Python), the reference the layout rules were written against.
"""

from __future__ import annotations

PDF_READERS = ("pypdfium2", "pdfplumber")
DEFAULT_PDF_READER = "pypdfium2"
