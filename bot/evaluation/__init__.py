"""Retrieval evaluation on data nobody on the project wrote: XQuAD and BBC deal stories."""
