import Version

// MARK: - TagVersion

/// A semantic-version tag parsed from a git tag name.
///
/// Ordering follows SemVer 2.0.0 precedence of `version`; tags of equal precedence (for example
/// `v1.2.3` and `1.2.3`, or ones differing only in build metadata) are ordered by tag name so the
/// order is total and agrees with `==`.
public struct TagVersion: Sendable, Hashable, Comparable {
    /// The tag name as in git, e.g. "v1.2.3".
    public let tag: String
    /// The semantic version the tag names.
    public let version: Version

    /// Parses `v?MAJOR.MINOR.PATCH(-PRE)?(+BUILD)?` strictly: digits only in the three numbers,
    /// no leading zeros except "0", prerelease/build identifiers [0-9A-Za-z-]+ separated by dots,
    /// numeric prerelease identifiers without leading zeros. Returns nil for anything else
    /// ("latest", "v1", "1.2", "release-1.0.0", "v1.2.3.4", "V1.2.3").
    public init?(tag: String) {
        if let (major, minor, patch) = Self.plainTriple(tag) {
            self.tag = tag
            self.version = Version(major, minor, patch, pre: [], build: [])
            return
        }
        var scanner = RangeScanner(tag)
        if scanner.peek == "v" { scanner.advance() }
        guard let partial = try? scanner.parsePartial(expecting: "a version"),
              scanner.isAtEnd,
              let major = partial.major, let minor = partial.minor, let patch = partial.patch
        else { return nil }
        self.tag = tag
        self.version = Version(major, minor, patch, pre: partial.prerelease, build: partial.build)
    }

    /// The numbers of a tag that is exactly `v?MAJOR.MINOR.PATCH` (ASCII digits, no leading
    /// zeros, each fitting an `Int`), read from its bytes; nil for anything else, which the range
    /// parser then reads (and accepts or refuses) as before.
    ///
    /// Most tags have this form, and the planner parses two per update (the downgrade check):
    /// the parser's character array cost more than the rest of planning an update.
    static func plainTriple(_ tag: String) -> (Int, Int, Int)? {
        var bytes = tag.utf8[...]
        if bytes.first == UInt8(ascii: "v") { bytes = bytes.dropFirst() }
        var numbers = (0, 0, 0)
        for index in 0..<3 {
            if index > 0 {
                guard bytes.first == UInt8(ascii: ".") else { return nil }
                bytes = bytes.dropFirst()
            }
            var value = 0
            var digits = 0
            while let byte = bytes.first, byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") {
                guard digits == 0 || value != 0 else { return nil }
                let (times, overflowTimes) = value.multipliedReportingOverflow(by: 10)
                let (sum, overflowSum) = times.addingReportingOverflow(Int(byte - UInt8(ascii: "0")))
                guard !overflowTimes, !overflowSum else { return nil }
                value = sum
                digits += 1
                bytes = bytes.dropFirst()
            }
            guard digits > 0 else { return nil }
            switch index {
            case 0: numbers.0 = value
            case 1: numbers.1 = value
            default: numbers.2 = value
            }
        }
        return bytes.isEmpty ? numbers : nil
    }

    /// Orders tags by SemVer precedence, then by tag name.
    public static func < (lhs: TagVersion, rhs: TagVersion) -> Bool {
        let order = semverCompare(lhs.version, rhs.version)
        if order != 0 { return order < 0 }
        return lhs.tag.utf8.lexicographicallyPrecedes(rhs.tag.utf8)
    }
}

// MARK: - VersionRange

/// An npm/Cargo-style version range: the grammar of `track: tag:<range>`.
///
/// Ranges are desugared exactly as node-semver does (`^1.2.3` becomes `>=1.2.3 <2.0.0-0`, and so on)
/// into alternatives of comparator sets; a version satisfies the range when it satisfies any set.
public struct VersionRange: Sendable, Hashable, CustomStringConvertible {
    /// The original text, trimmed of surrounding whitespace.
    public let text: String
    private let sets: [[Comparator]]

    /// Parses a range; error offsets are relative to the trimmed `text`.
    public init(_ text: String) throws(VersionRangeError) {
        let trimmed = Self.trimmed(text)
        var scanner = RangeScanner(trimmed)
        self.sets = try scanner.parseRange()
        self.text = trimmed
    }

    /// Whether `version` satisfies the range, with the npm prerelease rule.
    ///
    /// A prerelease only satisfies a comparator set that explicitly mentions a prerelease of the same
    /// `MAJOR.MINOR.PATCH`, so that opting into `1.3.0-beta.1` does not also opt into every later beta.
    public func contains(_ version: Version) -> Bool {
        sets.contains { set in
            guard set.allSatisfy({ $0.isSatisfied(by: version) }) else { return false }
            if version.prereleaseIdentifiers.isEmpty { return true }
            return set.contains { comparator in
                !comparator.isSynthetic
                    && !comparator.version.prereleaseIdentifiers.isEmpty
                    && comparator.version.major == version.major
                    && comparator.version.minor == version.minor
                    && comparator.version.patch == version.patch
            }
        }
    }

    /// True when the text looks like a range rather than an exact tag name: it contains one of
    /// `^ ~ < > = |`, a space, or a component that is `x`, `X` or `*`. ("1.x", "^1.2", ">=1 <2", "*")
    /// "v1.2.3", "1.2.3", "1.2", "release-7" are NOT ranges by this rule (they are exact tag names).
    public static func looksLikeRange(_ text: String) -> Bool {
        let trimmed = Self.trimmed(text)
        let operatorCharacters: Set<Character> = ["^", "~", "<", ">", "=", "|"]
        if trimmed.contains(where: { operatorCharacters.contains($0) || $0.isWhitespace }) {
            return true
        }
        return trimmed.split(separator: ".", omittingEmptySubsequences: false)
            .contains { $0 == "x" || $0 == "X" || $0 == "*" }
    }

    /// The original text, trimmed.
    public var description: String { text }

    /// The node-semver desugaring, e.g. `>=1.2.3 <2.0.0-0`; `*` for a set that admits any release.
    var desugared: String {
        sets.map { set in
            set.isEmpty ? "*" : set.map(\.description).joined(separator: " ")
        }
        .joined(separator: " || ")
    }

    private static func trimmed(_ text: String) -> String {
        let characters = Array(text)
        guard let first = characters.firstIndex(where: { !$0.isWhitespace }),
              let last = characters.lastIndex(where: { !$0.isWhitespace })
        else { return "" }
        return String(characters[first...last])
    }
}

// MARK: - VersionRangeError

/// Why a version range failed to parse, and where.
public struct VersionRangeError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The whole range text (trimmed).
    public let text: String
    /// 0-based character offset inside `text` where the problem starts.
    public let offset: Int
    /// What was found and what was expected.
    public let message: String

    /// Creates an error for `text` at `offset`.
    public init(text: String, offset: Int, message: String) {
        self.text = text
        self.offset = offset
        self.message = message
    }

    /// A one-line rendering naming the range, the offset and the problem.
    public var description: String {
        "invalid version range '\(text)' at offset \(offset): \(message)"
    }
}

// MARK: - Comparators

/// One primitive comparison such as `>=1.2.3`.
private struct Comparator: Sendable, Hashable, CustomStringConvertible {
    enum Operator: String, Sendable, Hashable {
        case less = "<", lessOrEqual = "<=", greater = ">", greaterOrEqual = ">=", equal = "="
    }

    let op: Operator
    let version: Version
    /// Marks the `-0` bounds invented by desugaring: they exist to exclude prereleases of the next
    /// release, so they must never count as the user opting into prereleases.
    let isSynthetic: Bool

    init(_ op: Operator, _ version: Version, synthetic: Bool = false) {
        self.op = op
        self.version = version
        self.isSynthetic = synthetic
    }

    func isSatisfied(by candidate: Version) -> Bool {
        let order = semverCompare(candidate, version)
        switch op {
        case .less: return order < 0
        case .lessOrEqual: return order <= 0
        case .greater: return order > 0
        case .greaterOrEqual: return order >= 0
        case .equal: return order == 0
        }
    }

    var description: String {
        // node-semver prints equality comparators as the bare version.
        op == .equal ? version.description : op.rawValue + version.description
    }
}

/// SemVer 2.0.0 precedence: negative, zero or positive. Build metadata is ignored.
///
/// Implemented here rather than relying on `Version.<` because that one treats identifiers such as
/// `-1` as negative integers and numbers too large for `Int` as text, both contrary to the spec.
private func semverCompare(_ lhs: Version, _ rhs: Version) -> Int {
    for (left, right) in [(lhs.major, rhs.major), (lhs.minor, rhs.minor), (lhs.patch, rhs.patch)]
    where left != right {
        return left < right ? -1 : 1
    }
    let left = lhs.prereleaseIdentifiers
    let right = rhs.prereleaseIdentifiers
    switch (left.isEmpty, right.isEmpty) {
    case (true, true): return 0
    case (true, false): return 1
    case (false, true): return -1
    case (false, false): break
    }
    for (a, b) in zip(left, right) {
        let order = compareIdentifiers(a, b)
        if order != 0 { return order }
    }
    return left.count == right.count ? 0 : (left.count < right.count ? -1 : 1)
}

private func compareIdentifiers(_ a: String, _ b: String) -> Int {
    let aNumeric = !a.isEmpty && a.allSatisfy(isASCIIDigit)
    let bNumeric = !b.isEmpty && b.allSatisfy(isASCIIDigit)
    switch (aNumeric, bNumeric) {
    case (true, true):
        // Compare digit strings by magnitude so arbitrarily long numbers still order correctly.
        let aDigits = a.drop { $0 == "0" }
        let bDigits = b.drop { $0 == "0" }
        if aDigits.count != bDigits.count { return aDigits.count < bDigits.count ? -1 : 1 }
        return asciiCompare(aDigits, bDigits)
    case (true, false): return -1
    case (false, true): return 1
    case (false, false): return asciiCompare(a, b)
    }
}

private func asciiCompare<S: StringProtocol>(_ a: S, _ b: S) -> Int {
    if a.utf8.elementsEqual(b.utf8) { return 0 }
    return a.utf8.lexicographicallyPrecedes(b.utf8) ? -1 : 1
}

private func isASCIIDigit(_ character: Character) -> Bool {
    guard let ascii = character.asciiValue else { return false }
    return ascii >= 48 && ascii <= 57
}

private func isIdentifierCharacter(_ character: Character) -> Bool {
    guard let ascii = character.asciiValue else { return false }
    return (ascii >= 48 && ascii <= 57) || (ascii >= 65 && ascii <= 90) || (ascii >= 97 && ascii <= 122)
        || ascii == 45
}

// MARK: - Parsing

/// A version with possibly wildcarded or missing components; `nil` means `x`, `*` or absent.
private struct Partial {
    var major: Int?
    var minor: Int?
    var patch: Int?
    var prerelease: [String] = []
    var build: [String] = []
    /// Where the version starts, for errors about bounds computed from it.
    var offset: Int
}

/// Recursive-descent parser over the characters of a range (or a tag).
private struct RangeScanner {
    let text: String
    let characters: [Character]
    var position = 0

    init(_ text: String) {
        self.text = text
        self.characters = Array(text)
    }

    var isAtEnd: Bool { position >= characters.count }
    var peek: Character? { character(at: position) }

    func character(at index: Int) -> Character? {
        index >= 0 && index < characters.count ? characters[index] : nil
    }

    mutating func advance(by count: Int = 1) { position += count }

    mutating func skipWhitespace() {
        while let character = peek, character.isWhitespace { advance() }
    }

    func isOr(at index: Int) -> Bool {
        character(at: index) == "|" && character(at: index + 1) == "|"
    }

    /// Names the token at `index` for messages ("end of range", "'||'", "'#'").
    func found(at index: Int) -> String {
        guard let character = character(at: index) else { return "end of range" }
        if isOr(at: index) { return "'||'" }
        if character.isWhitespace { return "whitespace" }
        return "'\(character)'"
    }

    func error(_ message: String, at offset: Int) -> VersionRangeError {
        VersionRangeError(text: text, offset: offset, message: message)
    }

    // range := set ('||' set)*
    mutating func parseRange() throws(VersionRangeError) -> [[Comparator]] {
        guard !characters.isEmpty else {
            throw error("expected a version range such as '^1.2' or '>=1.0.0 <2.0.0' but found an empty string", at: 0)
        }
        var sets: [[Comparator]] = []
        var afterOr = false
        while true {
            if afterOr, isAtEnd || peek == "|" {
                throw error("expected a version after '||' but found \(found(at: position))", at: position)
            }
            sets.append(try parseSet())
            if isAtEnd { return sets }
            // parseSet only returns early at a '|'.
            guard isOr(at: position) else {
                throw error("found '|'; expected '||' between alternatives", at: position)
            }
            advance(by: 2)
            skipWhitespace()
            afterOr = true
        }
    }

    // set := hyphen | simple (WS simple)*
    mutating func parseSet() throws(VersionRangeError) -> [Comparator] {
        var comparators: [Comparator] = []
        var simpleCount = 0
        while true {
            let (parsed, plain) = try parseSimple()
            comparators += parsed
            simpleCount += 1
            skipWhitespace()
            guard let next = peek, next != "|" else { return comparators }
            guard next == "-" else { continue }

            // node-semver only recognises a hyphen range spanning the whole set.
            guard simpleCount == 1, let lower = plain else {
                throw error(
                    "found '-' after a comparator; expected a hyphen range to be exactly 'A - B' with plain versions on both sides",
                    at: position)
            }
            advance()
            guard let afterDash = peek, afterDash.isWhitespace else {
                let message = isAtEnd
                    ? "expected a version after '-' but found end of range"
                    : "expected whitespace after '-' in hyphen range 'A - B' but found \(found(at: position))"
                throw error(message, at: position)
            }
            skipWhitespace()
            if isAtEnd || peek == "|" {
                throw error("expected a version after '-' but found \(found(at: position))", at: position)
            }
            skipVersionPrefix()
            let upper = try parsePartial(expecting: "a version after '-'")
            skipWhitespace()
            if let trailing = peek, trailing != "|" {
                throw error(
                    "found \(found(at: position)) after hyphen range; expected '||' or end of range",
                    at: position)
            }
            return try hyphen(lower, upper)
        }
    }

    private enum SimpleKind {
        case primitive(Comparator.Operator?)
        case tilde
        case caret
    }

    /// simple := op? partial | '~' partial | '^' partial.
    /// Also returns the partial when it carried no operator (or only `=`), as a hyphen range's lower bound.
    mutating func parseSimple() throws(VersionRangeError) -> ([Comparator], Partial?) {
        let start = position
        let kind: SimpleKind
        switch peek {
        case "^":
            advance()
            kind = .caret
        case "~":
            advance()
            kind = .tilde
        case "<":
            advance()
            if peek == "=" { advance(); kind = .primitive(.lessOrEqual) } else { kind = .primitive(.less) }
        case ">":
            advance()
            if peek == "=" { advance(); kind = .primitive(.greaterOrEqual) } else { kind = .primitive(.greater) }
        case "=":
            advance()
            kind = .primitive(.equal)
        default:
            kind = .primitive(nil)
        }
        let operatorText = String(characters[start..<position])
        if case .tilde = kind, peek == ">" {
            throw error("found '>' after '~'; expected a version, as in '~1.2'", at: position)
        }
        skipWhitespace()
        skipVersionPrefix()
        let expectation = operatorText.isEmpty
            ? "a version or an operator (<, <=, >, >=, =, ~, ^)"
            : "a version after '\(operatorText)'"
        let partial = try parsePartial(expecting: expectation)

        switch kind {
        case .caret:
            return (try caret(partial), nil)
        case .tilde:
            return (try tilde(partial), nil)
        case .primitive(let op):
            let plain = (op == nil || op == .equal) ? partial : nil
            return (try primitive(op, partial), plain)
        }
    }

    /// A leading `=` or `v` on a version is tolerated, as node-semver does.
    mutating func skipVersionPrefix() {
        if peek == "=" { advance() }
        if peek == "v" { advance() }
    }

    // partial := ('*'|'x'|'X') | N ('.' (N|x|X|*) ('.' (N|x|X|*) ('-' pre)? ('+' build)?)?)?
    mutating func parsePartial(expecting expectation: String) throws(VersionRangeError) -> Partial {
        let start = position
        var components: [Int?] = [try parseComponent(expecting: expectation)]
        while components.count < 3, peek == "." {
            advance()
            components.append(try parseComponent(expecting: "a number, 'x' or '*' after '.'"))
        }
        var partial = Partial(offset: start)
        partial.major = components[0]
        // Once a component is a wildcard, later ones are meaningless ("1.x.3" is "1.x").
        if partial.major != nil, components.count > 1 { partial.minor = components[1] }
        if partial.minor != nil, components.count > 2 { partial.patch = components[2] }

        var section = "version"
        if let marker = peek, marker == "-" || marker == "+" {
            let written = String(characters[start..<position])
            let what = marker == "-" ? "a prerelease" : "build metadata"
            if components.contains(where: { $0 == nil }) {
                throw error(
                    "found '\(marker)' after wildcard version '\(written)'; expected \(what) only on a full version such as 1.2.3-beta",
                    at: position)
            }
            if components.count < 3 {
                throw error(
                    "found '\(marker)' after '\(written)'; expected a full MAJOR.MINOR.PATCH version before \(what)",
                    at: position)
            }
        }
        if peek == "-" {
            advance()
            partial.prerelease = try parseIdentifiers(named: "prerelease", numericRules: true)
            section = "prerelease"
        }
        if peek == "+" {
            advance()
            partial.build = try parseIdentifiers(named: "build metadata", numericRules: false)
            section = "build metadata"
        }

        if let next = peek, !next.isWhitespace, next != "|" {
            let written = String(characters[start..<position])
            let message: String
            if section != "version" {
                message = "found \(found(at: position)) in \(section); expected letters, digits, '-' or '.'"
            } else if next == ".", components.count == 3 {
                message = "found '.' after '\(written)'; expected at most three version numbers"
            } else {
                message = "found \(found(at: position)) after '\(written)'; expected whitespace, '||' or end of range"
            }
            throw error(message, at: position)
        }
        return partial
    }

    /// One of MAJOR, MINOR, PATCH: a number, or `nil` for a wildcard.
    mutating func parseComponent(expecting expectation: String) throws(VersionRangeError) -> Int? {
        if let character = peek, character == "x" || character == "X" || character == "*" {
            advance()
            return nil
        }
        let start = position
        while let character = peek, isASCIIDigit(character) { advance() }
        guard position > start else {
            throw error("expected \(expectation) but found \(found(at: position))", at: position)
        }
        let digits = String(characters[start..<position])
        if digits.count > 1, digits.first == "0" {
            throw error("found '\(digits)' with a leading zero; expected a number without leading zeros", at: start)
        }
        guard let value = Int(digits) else {
            throw error("found '\(digits)', which is too large; expected a number up to \(Int.max)", at: start)
        }
        return value
    }

    /// Dot-separated identifiers after `-` or `+`.
    mutating func parseIdentifiers(named name: String, numericRules: Bool) throws(VersionRangeError) -> [String] {
        var identifiers: [String] = []
        repeat {
            let separator = characters[position - 1]
            let start = position
            while let character = peek, isIdentifierCharacter(character) { advance() }
            guard position > start else {
                throw error(
                    "expected a \(name) identifier after '\(separator)' but found \(found(at: position))",
                    at: position)
            }
            let identifier = String(characters[start..<position])
            if numericRules, identifier.allSatisfy(isASCIIDigit) {
                if identifier.count > 1, identifier.first == "0" {
                    throw error(
                        "found numeric \(name) identifier '\(identifier)' with a leading zero; expected a number without leading zeros or an alphanumeric identifier",
                        at: start)
                }
                // Kept within Int so `Version`'s own ordering agrees with ours.
                if Int(identifier) == nil {
                    throw error(
                        "found numeric \(name) identifier '\(identifier)', which is too large; expected a number up to \(Int.max)",
                        at: start)
                }
            }
            identifiers.append(identifier)
            guard peek == "." else { break }
            advance()
        } while true
        return identifiers
    }

    // MARK: Desugaring (node-semver's replaceXRange / replaceTilde / replaceCaret / hyphenReplace)

    /// `n + 1` for an upper bound, reporting overflow at the version it came from.
    func next(_ value: Int, of partial: Partial) throws(VersionRangeError) -> Int {
        let (sum, overflow) = value.addingReportingOverflow(1)
        guard !overflow else {
            throw error(
                "found \(value), which is too large to compute the range's bound; expected a number below \(Int.max)",
                at: partial.offset)
        }
        return sum
    }

    /// The synthetic `-0` bound: below every prerelease of that version.
    func below(_ major: Int, _ minor: Int, _ patch: Int) -> Comparator {
        Comparator(.less, Version(major, minor, patch, pre: ["0"]), synthetic: true)
    }

    func atLeast(_ major: Int, _ minor: Int, _ patch: Int, pre: [String] = []) -> Comparator {
        Comparator(.greaterOrEqual, Version(major, minor, patch, pre: pre))
    }

    func primitive(_ op: Comparator.Operator?, _ partial: Partial) throws(VersionRangeError) -> [Comparator] {
        guard let major = partial.major else {
            // `<*` and `>*` admit nothing; every other operator on `*` admits anything.
            if op == .less || op == .greater { return [below(0, 0, 0)] }
            return []
        }
        guard let minor = partial.minor else {
            switch op {
            case nil, .equal: return [atLeast(major, 0, 0), below(try next(major, of: partial), 0, 0)]
            case .greater: return [atLeast(try next(major, of: partial), 0, 0)]
            case .greaterOrEqual: return [atLeast(major, 0, 0)]
            case .less: return [below(major, 0, 0)]
            case .lessOrEqual: return [below(try next(major, of: partial), 0, 0)]
            }
        }
        guard let patch = partial.patch else {
            switch op {
            case nil, .equal: return [atLeast(major, minor, 0), below(major, try next(minor, of: partial), 0)]
            case .greater: return [atLeast(major, try next(minor, of: partial), 0)]
            case .greaterOrEqual: return [atLeast(major, minor, 0)]
            case .less: return [below(major, minor, 0)]
            case .lessOrEqual: return [below(major, try next(minor, of: partial), 0)]
            }
        }
        return [Comparator(op ?? .equal, Version(major, minor, patch, pre: partial.prerelease))]
    }

    func tilde(_ partial: Partial) throws(VersionRangeError) -> [Comparator] {
        guard let major = partial.major else { return [] }
        guard let minor = partial.minor else {
            return [atLeast(major, 0, 0), below(try next(major, of: partial), 0, 0)]
        }
        // A prerelease can only have been written on a full version, so `partial.patch` is set if it is.
        return [
            atLeast(major, minor, partial.patch ?? 0, pre: partial.prerelease),
            below(major, try next(minor, of: partial), 0),
        ]
    }

    func caret(_ partial: Partial) throws(VersionRangeError) -> [Comparator] {
        guard let major = partial.major else { return [] }
        guard let minor = partial.minor else {
            return [atLeast(major, 0, 0), below(try next(major, of: partial), 0, 0)]
        }
        guard let patch = partial.patch else {
            if major == 0 { return [atLeast(0, minor, 0), below(0, try next(minor, of: partial), 0)] }
            return [atLeast(major, minor, 0), below(try next(major, of: partial), 0, 0)]
        }
        // The leftmost non-zero component is the one that may not change.
        let lower = atLeast(major, minor, patch, pre: partial.prerelease)
        if major == 0, minor == 0 { return [lower, below(0, 0, try next(patch, of: partial))] }
        if major == 0 { return [lower, below(0, try next(minor, of: partial), 0)] }
        return [lower, below(try next(major, of: partial), 0, 0)]
    }

    func hyphen(_ lower: Partial, _ upper: Partial) throws(VersionRangeError) -> [Comparator] {
        var comparators: [Comparator] = []
        if let major = lower.major {
            comparators.append(atLeast(major, lower.minor ?? 0, lower.patch ?? 0, pre: lower.prerelease))
        }
        if let major = upper.major {
            if let minor = upper.minor {
                if let patch = upper.patch {
                    comparators.append(
                        Comparator(.lessOrEqual, Version(major, minor, patch, pre: upper.prerelease)))
                } else {
                    comparators.append(below(major, try next(minor, of: upper), 0))
                }
            } else {
                comparators.append(below(try next(major, of: upper), 0, 0))
            }
        }
        return comparators
    }
}
