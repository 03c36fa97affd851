import Foundation
import FuzzDriver
import SluiceKit

/// libFuzzer entry point: any bytes as a webhook body, under each event header a forge sends.
/// Parsing must never trap.
@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzWebhook(_ start: UnsafePointer<UInt8>?, _ count: Int) -> Int32 {
    let body = Data(FuzzDriver.bytes(start, count))
    for event in [nil, "push", "create", "ping", "release"] as [String?] {
        _ = try? WebhookEvent.parse(event: event, body: body)
    }
    return 0
}

/// The executable's entry point (see ``FuzzDriver``).
@_cdecl("FuzzWebhook_main")
public func entry(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> Int32 {
    FuzzDriver.run(argc, argv, fuzzWebhook)
}
