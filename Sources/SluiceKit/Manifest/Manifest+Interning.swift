extension Manifest {
    /// Shares the manifest's long strings through `interner` (``StringInterner``); no value changes.
    mutating func intern(by interner: StringInterner) {
        for index in plugins.indices {
            plugins[index].name = interner.intern(plugins[index].name)
            plugins[index].source = interner.intern(plugins[index].source)
            plugins[index].subpath = interner.intern(plugins[index].subpath)
        }
    }
}
