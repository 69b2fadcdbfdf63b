import LedgerCrypto

/// Read access to committed blocks and provable state, declared here so queries stay pure; the ledger store
/// implements it.
public protocol LedgerReader {
    var hashFunction: any HashFunction { get }
    func latestHeight() throws(StateReadError) -> UInt64
    func block(atHeight height: UInt64) throws(StateReadError) -> Block?
    func locateTransaction(_ id: Digest) throws(StateReadError) -> TransactionLocation?
    /// The value of `key` at `height` and its proof against that height's state root.
    func provenValue(key: Digest, height: UInt64) throws(StateReadError) -> (value: [UInt8]?, proof: StateProof)
}

/// A committed transaction's place in the chain and its result.
public struct TransactionLocation: Hashable, Sendable, CanonicalCodable {
    public let height: UInt64
    public let index: UInt32
    public let result: TransactionResult

    public init(height: UInt64, index: UInt32, result: TransactionResult) {
        self.height = height
        self.index = index
        self.result = result
    }

    public func encode(to writer: inout CanonicalWriter) {
        writer.write(height)
        writer.write(index)
        writer.write(result)
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        height = try reader.read(UInt64.self)
        index = try reader.read(UInt32.self)
        result = try reader.read(TransactionResult.self)
    }
}

/// A record read from the state at a height, with the proof that ties it to that height's header.
public struct ProvenRecord<Record: Sendable>: Sendable {
    /// Nil when the proof shows the key is absent.
    public let record: Record?
    public let height: UInt64
    public let header: BlockHeader
    public let proof: StateProof
}
