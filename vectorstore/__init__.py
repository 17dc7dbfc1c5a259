"""Embeddings, the Chroma store, the keyword index and the hybrid retriever."""
