"""Turn articles into clean, language-tagged, sentence-aligned chunks: load -> clean -> chunk."""
