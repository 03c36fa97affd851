import CSluice

/// Gives the heap's free pages back to the system.
public enum FreeMemory {
    /// Returns the pages the heap holds but no longer uses (glibc `malloc_trim(0)`), so that a
    /// long-running process's resident size between passes is what it keeps, not what its last
    /// pass needed at its peak. A few milliseconds at 100,000 subscriptions; a no-op elsewhere.
    public static func release() {
        _ = csluice_release_free_memory()
    }
}
