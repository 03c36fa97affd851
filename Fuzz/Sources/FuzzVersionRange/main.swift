import Foundation
import FuzzDriver
import SluiceKit

/// libFuzzer entry point: any bytes as a version range (`^1.2`, `>=1.0 <2`, `1.x || 3`) and as a
/// whole track (`tag:^1.0`, `sha:…`, `branch:…`). Parsing must never trap; an accepted range
/// must print as text that parses again to an equal range.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzVersionRange(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let text = String(decoding: FuzzDriver.bytes(start, count), as: UTF8.self)
    if let range = try? VersionRange(text) {
        guard let again = try? VersionRange(range.description) else {
            preconditionFailure("range \(text) prints as \(range.description), which does not parse")
        }
        precondition(again == range, "range \(text) prints as \(range.description), which parses differently")
    }
    _ = try? Track(parsing: text)
    _ = try? Track(parsing: "tag:" + text)
    return 0
}

/// The executable's entry point (see ``FuzzDriver``).
@_cdecl("FuzzVersionRange_main")
public func entry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzVersionRange)
}
