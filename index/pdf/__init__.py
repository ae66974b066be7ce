"""A page PDF as it went to print, read from its geometry: the same articles, readings and corrections as a text
issue, and the photos beside their captions.

The steps, each a module:

1. ``sandbox`` runs ``worker`` in a child process with a memory and a time limit; the child asks PDFium
   (``extract``) for every glyph (character, font, size, place) and every picture, resized for phones (``content``
   holds what it answers). A hostile file can at worst make the child fail, which is one clear refusal.
2. ``lines``: glyphs into printed lines; ``layout``: lines into blocks (a column's run of one style), blocks into
   the page's reading order, and which block carries on which across columns.
3. ``labels``: what every line is (headline, kicker, deck, byline, body, caption, credit, furniture, ...) by a CRF
   over the text's own features and the geometry's (``features``: size against the page's body size, face, place on
   the page, a picture above or beside), fitted on the typeset page corpus (``make train-parser``).
4. The text parser's grammar, heads by content and fields (``index.parse.PageParser.read_elements``) make the
   articles; ``photos`` gives each picture to the article of the caption under or beside it; ``read`` is the whole.
"""
