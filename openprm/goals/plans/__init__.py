"""Mutual Action Plans (SPEC B1-B5, B8): the plan, its monthly targets, growth, progress against
them, and the quarterly reviews in which targets change."""
