import Foundation

#if CIVIC_LIBFUZZER
    import FuzzDriver

    /// The executable's entry point under libFuzzer (`Tools/fuzz.sh` builds with `-sanitize=fuzzer,address
    /// -DCIVIC_LIBFUZZER`): SwiftPM links `main` to `civic_fuzz_main`, which hands over to libFuzzer's driver.
    @_cdecl("civic_fuzz_main")
    public func fuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
        var count = argc
        var arguments = argv
        return LLVMFuzzerRunDriver(&count, &arguments) { data, size in fuzzOneInput(data, size) }
    }

    /// One input (libFuzzer's runtime also looks this symbol up by name).
    @_cdecl("LLVMFuzzerTestOneInput")
    public func fuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
        guard let data else { return 0 }
        FuzzTarget.selected.run(Array(UnsafeBufferPointer(start: data, count: size)))
        return 0
    }
#else
    /// Without libFuzzer: replays inputs (a corpus, a finding) through a target.
    ///   civic-fuzz TARGET FILE-OR-DIRECTORY…      runs each file once; prints how many
    @main
    enum Replay {
        static func main() throws {
            let arguments = Array(CommandLine.arguments.dropFirst())
            guard let name = arguments.first, let target = FuzzTarget(rawValue: name), arguments.count > 1 else {
                let targets = FuzzTarget.allCases.map(\.rawValue).joined(separator: "|")
                print("usage: civic-fuzz \(targets) FILE-OR-DIRECTORY…")
                exit(2)
            }
            var count = 0
            for path in arguments.dropFirst() {
                var isDirectory: ObjCBool = false
                guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
                    print("civic-fuzz: no such file or directory: \(path)")
                    exit(2)
                }
                let files =
                    isDirectory.boolValue
                    ? try FileManager.default.contentsOfDirectory(atPath: path).sorted().map { path + "/" + $0 }
                    : [path]
                for file in files {
                    target.run(Array(try Data(contentsOf: URL(fileURLWithPath: file))))
                    count += 1
                }
            }
            print("civic-fuzz: \(target.rawValue): \(count) inputs replayed, no property failed")
        }
    }
#endif
