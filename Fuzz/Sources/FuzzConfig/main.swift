import Foundation
import FuzzDriver
import SluiceKit

/// libFuzzer entry point: any bytes as a `sluice.yaml`. It must never trap, and a rejection
/// must say why.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzConfig(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let text = String(decoding: FuzzDriver.bytes(start, count), as: UTF8.self)
    do {
        _ = try SluiceConfig.parse(text, file: "sluice.yaml", isWorkspace: { $0.hasPrefix("ws") })
    } catch {
        precondition(!error.diagnostics.isEmpty, "a rejected sluice.yaml must say why")
    }
    return 0
}

/// The executable's entry point (see ``FuzzDriver``).
@_cdecl("FuzzConfig_main")
public func entry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzConfig)
}
