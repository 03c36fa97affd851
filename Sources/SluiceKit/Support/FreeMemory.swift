import CSluice

/// Gives the heap's free pages back to the system.
public enum FreeMemory {
    /// Returns the pages the heap holds but no longer uses (glibc `malloc_trim(0)`), so that a
    /// long-running process's resident size between passes is what it keeps, not what its last
    /// pass needed at its peak. A few milliseconds at 100,000 subscriptions; a no-op elsewhere.
    public static func release() {
        _ = csluice_release_free_memory()
    }

    /// Lets the heap of a one-shot command grow in large steps (glibc `M_TOP_PAD`, 32 MB).
    ///
    /// A `reconcile` of 30,000 queue files allocates its records and strings steadily from two
    /// threads; with glibc's default step (128 KB) their heaps grew by some 13,000 `mprotect`
    /// calls, with 32 MB by some 1,300. The pad is address space, not memory: a page is
    /// resident only once used. Not for `serve`, which gives its free pages back after each
    /// pass (``release()``) and whose resident size is a target.
    public static func growInLargeSteps() {
        _ = csluice_grow_heap_by(32 << 20)
    }
}
