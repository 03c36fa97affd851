extension Manifest {
    /// The manifest in a file of the subset ``PlainYAML`` reads, when every check passes; nil
    /// for anything else, which ``parse(_:file:policy:)`` then reads through Yams and reports
    /// with located diagnostics.
    ///
    /// The checks are those of the full parser, on the same text: a file this accepts parses
    /// to the same manifest either way. Composing 10,000 manifests into Yams node trees was the
    /// largest cost of a reconcile pass.
    static func parsePlain(_ bytes: UnsafeRawBufferPointer, policy: SourcePolicy) -> Manifest? {
        guard let yaml = PlainYAML(bytes) else { return nil }
        let top = yaml.top
        guard top.members.count == 1, let index = top.entry("plugins") else { return nil }
        if let value = yaml.entries[index].value { return value.isNull ? Manifest(plugins: []) : nil }
        let members = yaml.mapping(opening: index).members
        var plugins: [PluginEntry] = []
        plugins.reserveCapacity(members.count)
        for member in members {
            let name = yaml.entries[member].key
            guard yaml.entries[member].value == nil, isText(name, plain: true), PluginName.problem(with: name) == nil,
                  let entry = entry(name: name, line: yaml.entries[member].line, fields: yaml.members(of: yaml.mapping(opening: member)), policy: policy)
            else { return nil }
            plugins.append(entry)
        }
        return Manifest(plugins: plugins)
    }

    private static func entry(name: String, line: Int, fields: [PlainYAML.Entry], policy: SourcePolicy) -> PluginEntry? {
        var source: String?
        var entry = PluginEntry(name: name, source: "", track: .none, line: line)
        for field in fields {
            guard let value = field.value, isText(field.key, plain: true) else { return nil }
            var key = field.key
            if !entryKeys.contains(key), key.contains("-") { key = YAMLReader.camelCase(key) }
            switch key {
            case "source":
                guard isText(value.text, plain: value.plain), let url = try? policy.check(value.text).url else { return nil }
                source = url
            case "subpath":
                guard isText(value.text, plain: value.plain), subpathProblem(value.text) == nil else { return nil }
                entry.subpath = value.text.hasSuffix("/") ? String(value.text.dropLast()) : value.text
            case "track":
                guard isText(value.text, plain: value.plain), let track = try? Track(parsing: value.text) else { return nil }
                entry.track = track
            case "hold", "restart":
                guard case .bool(let flag) = YAMLReader.scalarKind(value.text, plain: value.plain) else { return nil }
                if key == "hold" { entry.hold = flag } else { entry.restart = flag }
            case "minAge":
                guard let seconds = YAMLReader.seconds(in: value.text) else { return nil }
                entry.minAge = seconds
            case "verify":
                guard let mode = VerifyMode(rawValue: value.text) else { return nil }
                entry.verify = mode
            default:
                return nil
            }
        }
        guard let source else { return nil }
        entry.source = source
        return entry
    }

    /// Whether YAML reads the scalar as non-empty text (what the full parser's `string` accepts).
    private static func isText(_ text: String, plain: Bool) -> Bool {
        !text.isEmpty && YAMLReader.scalarKind(text, plain: plain) == .text
    }
}
