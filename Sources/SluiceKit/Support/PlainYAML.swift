/// The narrow subset of YAML that Sluice writes, parsed straight from the bytes: nested block
/// mappings whose values are one-line plain, single-quoted or simple double-quoted scalars, and,
/// when the reader asks for them (`lists: true`), lists of such scalars as Yams writes them
/// (`key: []`, or `- item` lines at the key's own indentation).
///
/// A pass reads one stamp per installed plugin and one record per queue file; composing each
/// through libyaml into a `Node` tree costs far more than reading it. This parser accepts only
/// text whose meaning it is sure of, and returns nil for anything else (tabs, non-ASCII bytes,
/// flow collections, lists unless asked for, null or nested list items, anchors, tags, block
/// scalars, multi-line scalars, escapes, duplicate keys, odd indentation), in which case the
/// caller decodes with the full YAML decoder, which also locates errors. So the fast path never
/// changes what a file means, only how fast a usual file is read.
struct PlainYAML {
    /// A scalar value.
    struct Scalar: Sendable, Equatable {
        /// The text, quotes removed and `''` unescaped.
        var text: String
        /// Whether it was written without quotes (only a plain scalar can mean null).
        var plain: Bool

        /// Whether YAML reads it as null (`~`, `null`, `Null`, `NULL`, or nothing), as Yams' resolver does.
        var isNull: Bool {
            plain && (text.isEmpty || text == "~" || text == "null" || text == "Null" || text == "NULL")
        }

        /// The text, or nil when YAML reads it as null.
        var nonNullText: String? {
            isNull ? nil : text
        }
    }

    /// One `key: value` line.
    struct Entry: Sendable, Equatable {
        /// How deep the mapping that holds it is nested (0 at the top).
        var depth: Int
        /// The key.
        var key: String
        /// The value, or nil when the key opens a nested mapping (the entries that follow, one level
        /// deeper) or holds a list.
        var value: Scalar?
        /// The line of the key, from 1.
        var line: Int
        /// The items when the key holds a list (only with `lists: true`); never null items.
        var items: [Scalar]? = nil
    }

    /// The entries in file order, or nil when the text is outside the subset.
    let entries: [Entry]

    /// What follows `key:` on its line.
    private enum Value {
        /// Nothing: a nested mapping may follow (else the value is null).
        case opens
        /// A scalar.
        case scalar(Scalar)
        /// `[]`, an empty list (only with `lists: true`).
        case emptyList
    }

    /// Parses `bytes`; nil when they are outside the subset. Lists are outside it unless
    /// `lists` is set: a reader that does not expect one never sees one.
    init?(_ bytes: UnsafeRawBufferPointer, lists: Bool = false) {
        var entries: [Entry] = []
        entries.reserveCapacity(24)
        guard Self.scan(bytes, lists: lists, { entries.append($0); return true }) else { return nil }
        self.entries = entries
    }

    /// Reads `bytes` and gives each entry to `visit` in file order, without keeping them: a
    /// reader that builds its own value from the entries (a queue record, a stamp) needs no
    /// list of entries.
    ///
    /// An entry is given once the line after it is read (which says whether its mapping stayed
    /// empty, or which list items it holds), so `visit` may have been given some entries of a
    /// text that turns out to be outside the subset: what it built is then to be thrown away.
    ///
    /// - Returns: false when the text is outside the subset or holds no entry, or when `visit`
    ///   returned false (the reader declines it); true when every entry was given.
    static func scan(_ bytes: UnsafeRawBufferPointer, lists: Bool, _ visit: (Entry) -> Bool) -> Bool {
        let space = UInt8(ascii: " "), newline = UInt8(ascii: "\n"), carriage = UInt8(ascii: "\r"), hash = UInt8(ascii: "#")
        let dash = UInt8(ascii: "-")
        let colon = UInt8(ascii: ":"), single = UInt8(ascii: "'"), double = UInt8(ascii: "\"")
        // The indentation of each open mapping.
        var indents: [Int] = []
        indents.reserveCapacity(4)
        // The keys of the open mappings, outermost first, each with its depth: the keys of the
        // innermost one are the last ones (checked for duplicates).
        var keys: [(depth: Int, key: String)] = []
        keys.reserveCapacity(24)
        // The last entry, not given yet (depth -1: none).
        var held = Entry(depth: -1, key: "", value: nil, line: 0)
        // Whether the held entry opened a mapping that has no entry yet.
        var opened = false
        // Whether the held entry holds a list that the next `- ` line continues.
        var listing = false
        let count = bytes.count
        var start = 0
        var line = 0
        while start < count {
            line += 1
            // The line is printable ASCII up to a line break (`\n`, `\r\n`, or a last `\r`).
            var end = firstUnprintable(bytes, from: start)
            let lineEnd = end
            if end < count, bytes[end] == carriage {
                guard end + 1 == count || bytes[end + 1] == newline else { return false }
                end += 1
            }
            guard end >= count || bytes[end] == newline else { return false }
            let next = end + 1
            var position = start
            while position < lineEnd, bytes[position] == space { position += 1 }
            if position == lineEnd || bytes[position] == hash {
                start = next
                continue
            }
            let indent = position - start
            if lists, bytes[position] == dash, position + 1 == lineEnd || bytes[position + 1] == space {
                // An item of the list the last key holds, written at that key's own indentation
                // (as Yams writes it): never null, never a list or a mapping itself.
                guard opened || listing, indent == indents.last,
                      case .scalar(let item)? = value(bytes, from: position + 1, to: lineEnd), !item.isNull else { return false }
                if held.items == nil { held.items = [] }
                held.items?.append(item)
                opened = false
                listing = true
                start = next
                continue
            }
            listing = false
            // The key: [A-Za-z0-9_][A-Za-z0-9_-]* immediately followed by ':' and a space or the end.
            let keyStart = position
            guard isKeyByte(bytes[position]), bytes[position] != UInt8(ascii: "-") else { return false }
            while position < lineEnd, isKeyByte(bytes[position]) { position += 1 }
            guard position < lineEnd, bytes[position] == colon else { return false }
            let keyEnd = position
            position += 1
            guard position == lineEnd || bytes[position] == space else { return false }
            // Where the entry belongs: a new mapping under the previous key, or an open one.
            if indents.isEmpty {
                guard indent == 0 else { return false }
                indents.append(0)
            } else if opened, let parent = indents.last, indent > parent {
                indents.append(indent)
            } else {
                // The mapping the previous key opened stayed empty: its value is null.
                if opened { held.value = Scalar(text: "", plain: true) }
                guard close(to: indent, indents: &indents) else { return false }
            }
            let depth = indents.count - 1
            while let last = keys.last, last.depth > depth { keys.removeLast() }
            let key = string(bytes, keyStart, keyEnd)
            guard isNew(key, depth: depth, in: keys), let value = value(bytes, from: position, to: lineEnd) else { return false }
            let scalar: Scalar?
            var items: [Scalar]?
            switch value {
            case .opens: scalar = nil
            case .scalar(let text): scalar = text
            case .emptyList:
                scalar = nil
                items = []
            }
            if held.depth >= 0, !visit(held) { return false }
            held = Entry(depth: depth, key: key, value: scalar, line: line, items: items)
            keys.append((depth, key))
            opened = scalar == nil && items == nil
            start = next
        }
        guard held.depth >= 0 else { return false }
        if opened { held.value = Scalar(text: "", plain: true) }
        return visit(held)

        func isKeyByte(_ byte: UInt8) -> Bool {
            (byte >= UInt8(ascii: "a") && byte <= UInt8(ascii: "z")) || (byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z"))
                || (byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")) || byte == UInt8(ascii: "_") || byte == UInt8(ascii: "-")
        }

        /// Closes mappings down to the one indented by `indent`; false when none is.
        func close(to indent: Int, indents: inout [Int]) -> Bool {
            while let last = indents.last, last > indent { indents.removeLast() }
            return indents.last == indent
        }

        /// Whether `key` is not yet a key of the open mapping at `depth` (the last keys of
        /// `keys`, once deeper ones are closed).
        func isNew(_ key: String, depth: Int, in keys: [(depth: Int, key: String)]) -> Bool {
            var index = keys.count - 1
            let length = key.utf8.count
            while index >= 0, keys[index].depth == depth {
                // Lengths first: two different keys rarely have the same one.
                if keys[index].key.utf8.count == length, keys[index].key == key { return false }
                index -= 1
            }
            return true
        }

        /// The value after `key:`, or nil when it is outside the subset.
        func value(_ bytes: UnsafeRawBufferPointer, from: Int, to end: Int) -> Value? {
            var position = from
            while position < end, bytes[position] == space { position += 1 }
            if position == end || bytes[position] == hash { return .opens }
            let lead = bytes[position]
            if lists, lead == UInt8(ascii: "["), position + 1 < end, bytes[position + 1] == UInt8(ascii: "]") {
                // `[]` alone (then spaces, or a comment): an empty list. Any other flow list is declined below.
                var index = position + 2
                while index < end, bytes[index] == space { index += 1 }
                guard index == end || (bytes[index] == hash && index > position + 2) else { return nil }
                return .emptyList
            }
            if lead == single || lead == double {
                // The text is the bytes between the quotes, but for `''` (one quote) inside single quotes.
                let textStart = position + 1
                var index = textStart
                var closed = false
                var doubledQuotes = false
                while index < end {
                    let byte = bytes[index]
                    if byte == lead {
                        if lead == single, index + 1 < end, bytes[index + 1] == single {
                            doubledQuotes = true
                            index += 2
                            continue
                        }
                        closed = true
                        index += 1
                        break
                    }
                    // Escapes in double quotes are left to the full decoder.
                    if lead == double, byte == UInt8(ascii: "\\") { return nil }
                    index += 1
                }
                guard closed else { return nil }
                let textEnd = index - 1
                // After the closing quote: spaces, then the end or a comment.
                let afterQuote = index
                while index < end, bytes[index] == space { index += 1 }
                guard index == end || (bytes[index] == hash && index > afterQuote) else { return nil }
                let text: String
                if doubledQuotes {
                    var unescaped: [UInt8] = []
                    var at = textStart
                    while at < textEnd {
                        unescaped.append(bytes[at])
                        at += bytes[at] == single ? 2 : 1
                    }
                    text = String(decoding: unescaped, as: UTF8.self)
                } else {
                    text = string(bytes, textStart, textEnd)
                }
                return .scalar(Scalar(text: text, plain: false))
            }
            // A plain scalar: no indicator first, no ': ' or ' #' inside, no ':' at the end.
            switch lead {
            case UInt8(ascii: "-"), UInt8(ascii: "?"), UInt8(ascii: ":"), UInt8(ascii: ","), UInt8(ascii: "["), UInt8(ascii: "]"),
                 UInt8(ascii: "{"), UInt8(ascii: "}"), UInt8(ascii: "&"), UInt8(ascii: "*"), UInt8(ascii: "!"), UInt8(ascii: "|"),
                 UInt8(ascii: ">"), UInt8(ascii: "%"), UInt8(ascii: "@"), UInt8(ascii: "`"):
                return nil
            default:
                break
            }
            var valueEnd = position
            var index = position
            while index < end {
                let byte = bytes[index]
                if byte == hash, bytes[index - 1] == space { break }
                if byte == colon, index + 1 == end || bytes[index + 1] == space { return nil }
                index += 1
                if byte != space { valueEnd = index }
            }
            return .scalar(Scalar(text: string(bytes, position, valueEnd), plain: true))
        }
    }

    /// The index of the first byte at or after `from` that is not printable ASCII (`0x20...0x7E`),
    /// or the end: eight bytes at a time.
    static func firstUnprintable(_ bytes: UnsafeRawBufferPointer, from: Int) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101, tops: UInt64 = 0x8080_8080_8080_8080
        let count = bytes.count
        var index = from
        while index + 8 <= count {
            let word = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: index, as: UInt64.self))
            // A byte below 0x20 wraps when 0x20 is taken from it (and its top bit was clear); a
            // byte above 0x7E has its top bit set once 1 is added (or had it). Borrows and carries
            // only run from a flagged byte upwards, so the lowest flag is exact.
            let below = (word &- ones &* 0x20) & ~word & tops
            let above = ((word &+ ones) | word) & tops
            let flags = below | above
            if flags != 0 { return index + flags.trailingZeroBitCount / 8 }
            index += 8
        }
        while index < count, bytes[index] &- 0x20 <= 0x5E { index += 1 }
        return index
    }

    private static func string(_ bytes: UnsafeRawBufferPointer, _ from: Int, _ to: Int) -> String {
        String(decoding: UnsafeRawBufferPointer(rebasing: bytes[from..<to]), as: UTF8.self)
    }
}

extension PlainYAML {
    /// The entries of one mapping: the top level, or the one an entry opens.
    struct Mapping {
        fileprivate let document: PlainYAML
        /// The indexes of the mapping's own entries, in file order.
        let members: [Int]

        /// The entry under `key`, or nil when the mapping has none.
        func entry(_ key: String) -> Int? {
            members.first { document.entries[$0].key == key }
        }

        /// Whether every key is one of `allowed`.
        func keys(within allowed: Set<String>) -> Bool {
            members.allSatisfy { allowed.contains(document.entries[$0].key) }
        }

        /// A value that must be text: nil when it is missing, null, or a mapping.
        func text(_ key: String) -> String? {
            guard let index = entry(key), let scalar = document.entries[index].value, !scalar.isNull else { return nil }
            return scalar.text
        }

        /// A value that may be absent or null: `.some(nil)` then, nil when it is a mapping.
        func optionalText(_ key: String) -> String?? {
            guard let index = entry(key) else { return .some(nil) }
            guard let scalar = document.entries[index].value else { return nil }
            return .some(scalar.isNull ? nil : scalar.text)
        }

        /// Whether the value is the plain number `1` (the only format Sluice writes).
        func isFormatOne(_ key: String) -> Bool {
            guard let index = entry(key), let scalar = document.entries[index].value else { return false }
            return scalar.plain && scalar.text == "1"
        }

        /// The mapping under `key`: `.some(nil)` when it is absent or null, nil when it is a scalar.
        func optionalMapping(_ key: String) -> Mapping?? {
            guard let index = entry(key) else { return .some(nil) }
            if let scalar = document.entries[index].value { return scalar.isNull ? .some(nil) : nil }
            return .some(document.mapping(opening: index))
        }
    }

    /// The top-level mapping.
    var top: Mapping {
        Mapping(document: self, members: entries.indices.filter { entries[$0].depth == 0 })
    }

    /// The entries of a mapping, by index into ``entries``.
    func members(of mapping: Mapping) -> [Entry] {
        mapping.members.map { entries[$0] }
    }

    /// The mapping the entry at `index` opens.
    func mapping(opening index: Int) -> Mapping {
        let depth = entries[index].depth
        var members: [Int] = []
        var next = index + 1
        while next < entries.count, entries[next].depth > depth {
            if entries[next].depth == depth + 1 { members.append(next) }
            next += 1
        }
        return Mapping(document: self, members: members)
    }
}
