import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Storage

// Test helper for the crash-safety test (StorageTests/LedgerStoreCrashTests): commits deterministic blocks to
// the ledger store at the given directory until it is killed, printing "committed HEIGHT ROOT" after each
// synced commit. Usage: crash-writer DIR [MAX_HEIGHT]

let arguments = CommandLine.arguments
guard arguments.count >= 2 else {
    FileHandle.standardError.write(Data("usage: crash-writer DIR [MAX_HEIGHT]\n".utf8))
    exit(2)
}
let maximumHeight = arguments.count > 2 ? UInt64(arguments[2]) ?? UInt64.max : UInt64.max

do {
    let fixture = LedgerFixture()
    let store = try RocksDBLedgerStore(path: arguments[1], suite: .secp256k1SHA256)
    try store.initialize(genesis: fixture.genesis)
    while try store.committedHeight() < maximumHeight {
        let (block, _) = try CrashWorkload.commitNextBlock(store, fixture: fixture)
        // Unbuffered: a line on stdout means the synced commit has returned.
        FileHandle.standardOutput.write(Data("committed \(block.header.height) \(block.header.stateRoot.hex)\n".utf8))
    }
    store.close()
} catch {
    FileHandle.standardError.write(Data("crash-writer: \(error)\n".utf8))
    exit(1)
}
