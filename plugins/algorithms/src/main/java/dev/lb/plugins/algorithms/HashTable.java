package dev.lb.plugins.algorithms;

/** A precomputed map from a 64-bit key hash to the index of a backend. Immutable; lookups do not allocate. */
interface HashTable {

    /** The index, in the table's backend array, of the backend that owns {@code hash}. */
    int lookup(long hash);
}
