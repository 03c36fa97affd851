import Foundation
import FuzzDriver
@testable import SluiceKit

/// libFuzzer entry point: any bytes as a `plugins.yaml`. Parsing may fail with located
/// diagnostics; it must never trap, and every diagnostic must name the file. The fast path for
/// plain files (``Manifest/parsePlain(_:policy:)``) must give what the node-tree parser gives
/// whenever it accepts a text.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let text = String(decoding: FuzzDriver.bytes(start, count), as: UTF8.self)
    let policy = SourcePolicy(transports: Set(SourceURL.Transport.allCases), allow: [])
    var bytes = text
    if let fast = bytes.withUTF8({ Manifest.parsePlain(UnsafeRawBufferPointer($0), policy: policy) }) {
        let tree = try? Manifest.parseTree(text, file: "plugins.yaml", policy: policy)
        precondition(tree == fast, "fast manifest parse \(fast) differs from the tree parser's \(String(describing: tree))")
    }
    do {
        _ = try Manifest.parse(text, file: "plugins.yaml", policy: policy)
    } catch {
        precondition(!error.diagnostics.isEmpty, "a rejected manifest must say why")
    }
    return 0
}

/// The executable's entry point (see ``FuzzDriver``).
@_cdecl("FuzzManifest_main")
public func entry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzManifest)
}
