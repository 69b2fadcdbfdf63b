import LedgerCore
import LedgerCrypto

/// Column families and key layouts of the ledger store (`docs/storage.md`).
enum LedgerColumn {
    static let blocks = "blocks"
    static let commits = "commits"
    static let transactions = "tx_index"
    static let treeNodes = "tree_nodes"
    static let treeStale = "tree_stale"
    static let values = "state_values"
    static let valueStale = "value_stale"
    /// State key → the version of its newest value: a point lookup (bloom-filtered) instead of a seek.
    static let latest = "state_latest"
    static let meta = "meta"

    static let all = [blocks, commits, transactions, treeNodes, treeStale, values, valueStale, latest, meta]
}

enum LedgerKey {
    static let committedHeight = Array("committed_height".utf8)
    static let genesisHash = Array("genesis_hash".utf8)
    static let prunedBelow = Array("pruned_below".utf8)

    static func height(_ value: UInt64) -> [UInt8] { withUnsafeBytes(of: value.bigEndian) { Array($0) } }

    static func root(_ height: UInt64) -> [UInt8] { Array("root/".utf8) + self.height(height) }

    /// Heights whose header names a next validator set other than its own: the hand-offs receipts carry.
    static let handOffPrefix = Array("handoff/".utf8)
    static func handOff(_ height: UInt64) -> [UInt8] { handOffPrefix + self.height(height) }

    /// State values sort by key, then newest version first (the version is stored inverted).
    static func value(_ key: Digest, version: UInt64) -> [UInt8] { key.bytes + height(~version) }

    static func decodeHeight(_ bytes: some Collection<UInt8>) -> UInt64? {
        guard bytes.count == 8 else { return nil }
        return bytes.reduce(UInt64(0)) { $0 << 8 | UInt64($1) }
    }
}
