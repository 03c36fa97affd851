import Foundation
import FuzzDriver
@testable import SluiceKit
import Yams

/// libFuzzer entry point: any bytes as a queue record (a hand-edited approved file). Decoding
/// must never trap; a record that decodes must encode again and decode to the same record; the
/// fast path for what Sluice writes (``PlainYAML``) must agree with the full YAML decoder
/// whenever it accepts a text, and the writer of usual records (``RecordEncoding``) must write
/// what `YAMLEncoder` writes whenever it writes one.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecord(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let data = Data(FuzzDriver.bytes(start, count))
    if let fast = RecordDecoding.fast(data) {
        let full = try? YAMLDecoder().decode(UpdateRecord.self, from: data)
        precondition(full == fast, "fast record parse \(fast) differs from the YAML decoder's \(String(describing: full))")
    }
    guard case .success(let record) = RecordDecoding.decode(data) else { return 0 }
    if let plain = RecordEncoding.plain(record) {
        precondition(plain == (try? YAMLEncoder().encode(record)), "RecordEncoding wrote \(plain) where YAMLEncoder writes otherwise")
    }
    guard let encoded = try? QueueStore.encode(record, folder: .approved) else {
        preconditionFailure("a decoded record must encode: \(record)")
    }
    guard case .success(let again) = RecordDecoding.decode(encoded) else {
        preconditionFailure("an encoded record must decode: \(String(decoding: encoded, as: UTF8.self))")
    }
    precondition(again == record, "round trip changed the record")
    return 0
}

/// The executable's entry point (see ``FuzzDriver``).
@_cdecl("FuzzRecord_main")
public func entry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzRecord)
}
