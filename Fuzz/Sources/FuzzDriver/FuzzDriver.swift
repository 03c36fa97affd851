/// libFuzzer's driver, entered from a SwiftPM executable.
///
/// SwiftPM links an executable target with `--defsym main=<module>_main` (so that tests can link
/// the module), and `-parse-as-library`, which libFuzzer needs so that it owns `main`, leaves
/// that symbol undefined. Each target therefore defines `<module>_main` itself and hands its
/// input callback to `LLVMFuzzerRunDriver`, libFuzzer's documented entry point for programs
/// that have their own `main`. The callback is also exported as `LLVMFuzzerTestOneInput`, which
/// libFuzzer's own `main` object (linked by `-sanitize=fuzzer`) refers to.
public enum FuzzDriver {
    /// The callback libFuzzer calls with each input.
    public typealias Body = @convention(c) (UnsafePointer<UInt8>?, Int) -> Int32

    /// Runs libFuzzer with the process's arguments and `body`; returns its exit status.
    public static func run(_ argc: Int32, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?, _ body: Body) -> Int32 {
        var count = argc
        var vector = argv
        return runDriver(&count, &vector, body)
    }

    /// The bytes of one input (libFuzzer passes a null pointer for none).
    public static func bytes(_ start: UnsafePointer<UInt8>?, _ count: Int) -> UnsafeRawBufferPointer {
        UnsafeRawBufferPointer(start: start, count: start == nil ? 0 : count)
    }
}

@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(_ argc: UnsafeMutablePointer<Int32>, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                       _ body: FuzzDriver.Body) -> Int32
