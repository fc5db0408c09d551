package dev.slogate.promql;

/** What an expression is, as far as the modifiers that may follow it care. */
enum Node { SELECTOR, MODIFIED_SELECTOR, RANGE, SUBQUERY, OTHER }
