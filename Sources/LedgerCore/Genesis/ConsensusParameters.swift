/// Consensus timing and block limits, fixed in genesis (`Consensus/SPEC.md` explains each timeout).
public struct ConsensusParameters: Hashable, Sendable, CanonicalCodable {
    public var timeoutProposeMs: UInt32 = 3_000
    public var timeoutPrevoteMs: UInt32 = 1_000
    public var timeoutPrecommitMs: UInt32 = 1_000
    /// Added to each timeout per round, so a slow network eventually gets long enough rounds.
    public var timeoutIncreaseMs: UInt32 = 500
    /// The cap on any timeout however many rounds pass, so a network never idles long after an outage.
    public var timeoutMaximumMs: UInt32 = 30_000
    public var maximumBlockBytes: UInt32 = 4 * 1024 * 1024
    public var maximumBlockTransactions: UInt32 = 20_000
    /// Heights between a committed validator-set change and the first height it signs.
    public var validatorSetDelay: UInt32 = 2

    public init() {}

    /// Every out-of-range field, as (field name, problem).
    public var problems: [(field: String, message: String)] {
        var problems: [(String, String)] = []
        for (name, value) in [
            ("timeout_propose_ms", timeoutProposeMs), ("timeout_prevote_ms", timeoutPrevoteMs),
            ("timeout_precommit_ms", timeoutPrecommitMs),
        ] where value < 10 || value > 600_000 {
            problems.append((name, "must be between 10 and 600000 milliseconds"))
        }
        if timeoutIncreaseMs > 600_000 { problems.append(("timeout_increase_ms", "must be at most 600000")) }
        if timeoutMaximumMs < max(timeoutProposeMs, timeoutPrevoteMs, timeoutPrecommitMs)
            || timeoutMaximumMs > 3_600_000
        {
            problems.append(("timeout_maximum_ms", "must be at least every base timeout and at most 3600000"))
        }
        if maximumBlockBytes < 64 * 1024 || maximumBlockBytes > 64 * 1024 * 1024 {
            problems.append(("maximum_block_bytes", "must be between 65536 and 67108864"))
        }
        if maximumBlockTransactions < 1 || maximumBlockTransactions > 1_000_000 {
            problems.append(("maximum_block_transactions", "must be between 1 and 1000000"))
        }
        if validatorSetDelay < 1 || validatorSetDelay > 100 {
            problems.append(("validator_set_delay", "must be between 1 and 100 heights"))
        }
        return problems
    }

    public func encode(to writer: inout CanonicalWriter) {
        for value in [
            timeoutProposeMs, timeoutPrevoteMs, timeoutPrecommitMs, timeoutIncreaseMs, timeoutMaximumMs,
            maximumBlockBytes,
            maximumBlockTransactions, validatorSetDelay,
        ] {
            writer.write(value)
        }
    }

    public init(decoding reader: inout CanonicalReader) throws(CanonicalDecodingError) {
        timeoutProposeMs = try reader.read(UInt32.self)
        timeoutPrevoteMs = try reader.read(UInt32.self)
        timeoutPrecommitMs = try reader.read(UInt32.self)
        timeoutIncreaseMs = try reader.read(UInt32.self)
        timeoutMaximumMs = try reader.read(UInt32.self)
        maximumBlockBytes = try reader.read(UInt32.self)
        maximumBlockTransactions = try reader.read(UInt32.self)
        validatorSetDelay = try reader.read(UInt32.self)
    }
}
