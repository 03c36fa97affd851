extension Manifest {
    /// The same manifest with its long strings shared through `interner` (``StringInterner``).
    func interned(by interner: StringInterner) -> Manifest {
        var manifest = self
        for index in manifest.plugins.indices {
            manifest.plugins[index].name = interner.intern(manifest.plugins[index].name)
            manifest.plugins[index].source = interner.intern(manifest.plugins[index].source)
            manifest.plugins[index].subpath = interner.intern(manifest.plugins[index].subpath)
        }
        return manifest
    }
}
