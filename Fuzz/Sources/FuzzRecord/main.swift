import Foundation
import FuzzDriver
@testable import SluiceKit

/// libFuzzer entry point: any bytes as a queue record (a hand-edited approved file). Decoding
/// must never trap; a record that decodes must encode again and decode to the same record.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzRecord(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let data = Data(FuzzDriver.bytes(start, count))
    guard case .success(let record) = RecordDecoding.decode(data) else { return 0 }
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
