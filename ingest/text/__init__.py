"""The text toolkit every stage reads text through, so the stages agree on what a unit of text is.

- `whitespace`: collapsing and trimming spaces, in a line, a span or a whole text.
- `paragraphs`: paragraphs as runs of non-empty lines, and blocks between blank lines.
- `sentences`: where a sentence ends (three strictnesses, each named for who needs it) and starts.
- `lead_ins`: the sentence a quotation follows, for reading a speaker's role and for embedding.
- `hyphenation`: words a line end split with a hyphen, joined again.
- `line_numbers`: a manuscript's margin line numbers, found and dropped (in text and by position).
"""
