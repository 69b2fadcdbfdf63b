import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import P2P
import Testing

/// Blocks travel in parts (`docs/network.md`): any order and duplicates reassemble to the block; a part that
/// does not fit, a tampered part or an oversized block is refused with its reason.
struct BlockAssemblerTests {
    /// A block of `count` transactions as the store would build it (roots right, so the header binds the body).
    static func block(transactions count: Int, _ random: inout SeededGenerator) -> (Block, Digest) {
        let transactions = (0..<count).map { _ in random.signedTransaction() }
        let hash = SHA256()
        let lastCommit = CommitCertificate(height: 11, round: 0, blockHash: random.digest(), signatures: [])
        let header = BlockHeader(
            chainID: ChainID("civic-test")!,
            height: 12,
            time: 1_795_478_400,
            previousBlockHash: random.digest(),
            transactionsRoot: Block.transactionsRoot(transactions, hash: hash),
            transactionCount: UInt32(count),
            stateRoot: random.digest(),
            resultsRoot: random.digest(),
            evidenceRoot: Block.evidenceRoot([], hash: hash),
            validatorSetHash: random.digest(),
            nextValidatorSetHash: random.digest(),
            lastCommitHash: lastCommit.hash(hash),
            proposer: OrgID("440000")!
        )
        let block = Block(header: header, transactions: transactions, lastCommit: lastCommit)
        return (block, header.hash(hash))
    }

    @Test func partsInAnyOrderWithDuplicatesMakeTheBlock() throws {
        var random = SeededGenerator(seed: 11)
        let (block, hash) = Self.block(transactions: 1_500, &random)
        let parts = BlockPart.split(block, blockHash: hash, round: 2)
        #expect(parts.count > 3, "a block big enough to need several parts")
        var assembler = BlockAssembler(blockHash: hash, maximumBlockBytes: 4 << 20, hash: SHA256())
        var result: Block?
        for part in (parts + parts.prefix(2)).shuffled(using: &random) {
            if let done = try assembler.add(part) { result = done }
        }
        #expect(result == block)
    }

    @Test func tamperedForeignAndOversizedPartsAreRefused() throws {
        var random = SeededGenerator(seed: 12)
        let (block, hash) = Self.block(transactions: 300, &random)
        let parts = BlockPart.split(block, blockHash: hash, round: 0)
        func assembler() -> BlockAssembler {
            BlockAssembler(blockHash: hash, maximumBlockBytes: 4 << 20, hash: SHA256())
        }

        // A flipped byte in the body: the header still hashes right, the transactions root does not.
        var tampered = parts
        let last = tampered[tampered.count - 1]
        var bytes = last.bytes
        bytes[bytes.count - 10] ^= 1
        tampered[tampered.count - 1] = BlockPart(
            height: last.height,
            round: last.round,
            blockHash: hash,
            index: last.index,
            count: last.count,
            bytes: bytes
        )
        var collector = assembler()
        var refusal: BlockAssemblyError?
        for part in tampered {
            do { _ = try collector.add(part) } catch { refusal = error }
        }
        #expect(refusal != nil, "a tampered body must not assemble")

        // The honest header with another last commit (any quorum of the previous block would verify): the
        // header names the commit by hash, so the body does not assemble, and honest parts still can.
        for other in [nil, CommitCertificate(height: 11, round: 1, blockHash: random.digest(), signatures: [])] {
            let swapped = Block(header: block.header, transactions: block.transactions, lastCommit: other)
            var relay = assembler()
            var refused: BlockAssemblyError?
            for part in BlockPart.split(swapped, blockHash: hash, round: 0) {
                do { _ = try relay.add(part) } catch { refused = error }
            }
            #expect(refused == .bodyMismatch)
        }

        var strict = assembler()
        _ = try strict.add(parts[0])
        #expect(throws: BlockAssemblyError.conflictingPart(index: 0)) {
            try strict.add(
                BlockPart(
                    height: 12,
                    round: 0,
                    blockHash: hash,
                    index: 0,
                    count: parts[0].count,
                    bytes: random.bytes(BlockPart.maximumSize)
                )
            )
        }
        #expect(throws: BlockAssemblyError.self) {
            try strict.add(
                BlockPart(height: 12, round: 0, blockHash: random.digest(), index: 1, count: parts[0].count, bytes: [])
            )
        }
        var small = BlockAssembler(blockHash: hash, maximumBlockBytes: 100_000, hash: SHA256())
        #expect(throws: BlockAssemblyError.self, "more parts than the block limit allows") {
            try small.add(BlockPart(height: 12, round: 0, blockHash: hash, index: 0, count: 1_000, bytes: []))
        }
    }
}
