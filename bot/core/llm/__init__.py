"""Answers written by a language model: providers, prompts, and the checked answerer."""
