import Foundation
import FuzzDriver
@testable import SluiceKit
import Yams

/// libFuzzer entry point: any bytes as a `.sluice-stamp.yaml`. Decoding must never trap, and the
/// fast path that reads what Sluice writes must agree with the full YAML decoder whenever it
/// accepts a text (it exists only to be cheaper).
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzStamp(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let data = Data(FuzzDriver.bytes(start, count))
    _ = try? Stamp.decode(data, path: "plugins/p/.sluice-stamp.yaml")
    if let fast = Stamp.fastParse(data) {
        let full = try? YAMLDecoder().decode(Stamp.self, from: data)
        precondition(full == fast, "fast stamp parse \(fast) differs from the YAML decoder's \(String(describing: full))")
    }
    return 0
}

/// The executable's entry point (see ``FuzzDriver``).
@_cdecl("FuzzStamp_main")
public func entry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzStamp)
}
