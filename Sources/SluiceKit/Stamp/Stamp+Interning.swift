extension Stamp {
    /// The same stamp with its long strings shared through `interner` (``StringInterner``).
    func interned(by interner: StringInterner) -> Stamp {
        var stamp = self
        stamp.source = interner.intern(source)
        stamp.subpath = interner.intern(subpath)
        stamp.track = interner.intern(track)
        stamp.ref = interner.intern(ref)
        stamp.sha = interner.intern(sha)
        stamp.digest = interner.intern(digest)
        stamp.installed = interner.intern(installed)
        return stamp
    }
}
