import Foundation
import FuzzDriver
import SluiceKit

/// libFuzzer entry point: any bytes as a `plugins.yaml`. Parsing may fail with located
/// diagnostics; it must never trap, and every diagnostic must name the file.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzManifest(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let text = String(decoding: FuzzDriver.bytes(start, count), as: UTF8.self)
    let policy = SourcePolicy(transports: Set(SourceURL.Transport.allCases), allow: [])
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
