"""Pure string knowledge: the lexicon, name folding, dates."""
