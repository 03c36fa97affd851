extension Stamp {
    /// Shares the stamp's long strings through `interner` (``StringInterner``); no value changes.
    mutating func intern(by interner: StringInterner) {
        source = interner.intern(source)
        subpath = interner.intern(subpath)
        track = interner.intern(track)
        ref = interner.intern(ref)
        sha = interner.intern(sha)
        digest = interner.intern(digest)
        installed = interner.intern(installed)
    }
}
