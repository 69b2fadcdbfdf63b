import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import Testing

/// The versioned sparse Merkle tree: proofs of presence and absence, versions, pruning, cost.
struct SparseMerkleTreeTests {
    let tree = SparseMerkleTree(hash: SHA256())

    /// Counts node reads, to show an update costs O(log n).
    final class CountingReader: TreeNodeReader {
        let store: InMemoryTreeStore
        var reads = 0
        init(_ store: InMemoryTreeStore) { self.store = store }
        func node(_ key: TreeNodeKey) throws(StateReadError) -> TreeNode? {
            reads += 1
            return try store.node(key)
        }
    }

    /// The root from the definition, computed independently from the key set alone.
    func referenceRoot(_ entries: [(Digest, Digest)], depth: Int = 0) -> Digest {
        if entries.isEmpty { return .zero }
        if entries.count == 1 { return tree.leafHash(key: entries[0].0, valueHash: entries[0].1) }
        let left = entries.filter { !$0.0.bit(depth) }
        let right = entries.filter { $0.0.bit(depth) }
        return tree.nodeHash(left: referenceRoot(left, depth: depth + 1), right: referenceRoot(right, depth: depth + 1))
    }

    func randomValues(_ count: Int, _ random: inout SeededGenerator) -> [Digest: Digest] {
        var values: [Digest: Digest] = [:]
        for _ in 0..<count { values[random.digest()] = random.digest() }
        return values
    }

    @Test func emptyTreeProvesAbsence() throws {
        let store = InMemoryTreeStore()
        let proof = try tree.prove(key: .of("anything"), root: nil, reader: store)
        #expect(try proof.verify(root: .zero, hash: SHA256()) == nil)
    }

    @Test func rootsMatchTheDefinitionWhateverTheBatching() throws {
        var random = SeededGenerator(seed: 11)
        let values = randomValues(500, &random)
        var store = InMemoryTreeStore()
        var root: TreeChild?
        var version: UInt64 = 0
        let keys = values.keys.sorted()
        var index = 0
        while index < keys.count {
            let size = Int.random(in: 1...60, using: &random)
            let batch = Dictionary(
                uniqueKeysWithValues: keys[index..<min(index + size, keys.count)].map { ($0, values[$0]!) }
            )
            version += 1
            let update = try tree.update(root: root, version: version, values: batch, reader: store)
            store.apply(update)
            root = update.root
            index += size
        }
        let oneShot = try tree.update(root: nil, version: 1, values: values, reader: InMemoryTreeStore())
        let reference = referenceRoot(values.map { ($0.key, $0.value) })
        #expect(root?.hash == reference)
        #expect(oneShot.rootHash == reference)
    }

    @Test func membershipAndAbsenceProofsVerifyAndForgeriesFail() throws {
        var random = SeededGenerator(seed: 12)
        let values = randomValues(2_000, &random)
        var store = InMemoryTreeStore()
        let update = try tree.update(root: nil, version: 1, values: values, reader: store)
        store.apply(update)
        let root = update.rootHash
        for (key, valueHash) in values.prefix(300) {
            let proof = try tree.prove(key: key, root: update.root, reader: store)
            #expect(try proof.verify(root: root, hash: SHA256()) == valueHash)
            #expect(proof.siblings.count < 30)
            var siblings = proof.siblings
            siblings[siblings.count - 1] = .of("forged")
            #expect(throws: StateProofError.self) {
                try StateProof(key: key, siblings: siblings, terminal: proof.terminal).verify(
                    root: root,
                    hash: SHA256()
                )
            }
            let otherValue = StateProof(
                key: key,
                siblings: proof.siblings,
                terminal: .leaf(key: key, valueHash: .of("x"))
            )
            #expect(throws: StateProofError.self) { try otherValue.verify(root: root, hash: SHA256()) }
            let hidden = StateProof(key: key, siblings: proof.siblings, terminal: .empty)
            #expect(throws: StateProofError.self) { try hidden.verify(root: root, hash: SHA256()) }
            #expect(throws: StateProofError.self) { try proof.verify(root: SM3().hash([1]), hash: SHA256()) }
            #expect(try StateProof(canonicalBytes: proof.canonicalBytes) == proof)
        }
        for _ in 0..<300 {
            let absent = random.digest()
            let proof = try tree.prove(key: absent, root: update.root, reader: store)
            #expect(try proof.verify(root: root, hash: SHA256()) == nil)
            // An absence proof cannot be turned into a presence proof.
            if case .leaf(let other, _) = proof.terminal {
                #expect(other != absent)
                let claimed = StateProof(
                    key: absent,
                    siblings: proof.siblings,
                    terminal: .leaf(key: absent, valueHash: .of("v"))
                )
                #expect(throws: StateProofError.self) { try claimed.verify(root: root, hash: SHA256()) }
            }
        }
    }

    @Test func oldVersionsStayProvableUntilPruned() throws {
        var random = SeededGenerator(seed: 13)
        var store = InMemoryTreeStore()
        let key = random.digest()
        var roots: [TreeChild?] = [nil]
        var stale: [[TreeNodeKey]] = [[]]
        for version in 1...5 as ClosedRange<UInt64> {
            var values = randomValues(50, &random)
            values[key] = .of("value \(version)")
            let update = try tree.update(root: roots.last!, version: version, values: values, reader: store)
            store.apply(update)
            roots.append(update.root)
            stale.append(update.staleNodes)
        }
        for version in 1...5 {
            let proof = try tree.prove(key: key, root: roots[version], reader: store)
            #expect(try proof.verify(root: roots[version]!.hash, hash: SHA256()) == .of("value \(version)"))
        }
        // Keep versions 4 and later: drop what became stale at versions up to 4.
        store.prune(staleNodes: stale[1...4].flatMap { $0 })
        for version in 4...5 {
            let proof = try tree.prove(key: key, root: roots[version], reader: store)
            #expect(try proof.verify(root: roots[version]!.hash, hash: SHA256()) == .of("value \(version)"))
        }
        #expect(throws: StateReadError.self) { try tree.prove(key: key, root: roots[2], reader: store) }
    }

    @Test func oneKeyUpdateCostsLogarithmicReadsAndWrites() throws {
        var random = SeededGenerator(seed: 14)
        var store = InMemoryTreeStore()
        let initial = try tree.update(root: nil, version: 1, values: randomValues(100_000, &random), reader: store)
        store.apply(initial)
        let reader = CountingReader(store)
        let update = try tree.update(
            root: initial.root,
            version: 2,
            values: [random.digest(): random.digest()],
            reader: reader
        )
        // log2(100,000) ≈ 17; a new key also splits one leaf.
        #expect(reader.reads <= 30)
        #expect(update.newNodes.count <= 32)
        #expect(update.staleNodes.count == reader.reads)
    }

    @Test func prefixClearsTheRightBits() {
        let all = Digest(bytes: [UInt8](repeating: 0xff, count: 32))!
        #expect(all.prefix(bits: 0) == .zero)
        #expect(all.prefix(bits: 256) == all)
        #expect(all.prefix(bits: 3).bytes[0] == 0xe0 && all.prefix(bits: 3).bytes[1] == 0)
        #expect(all.prefix(bits: 70).bytes[8] == 0xfc && all.prefix(bits: 70).bytes[9] == 0)
        let key = TreeNodeKey(version: 7, depth: 70, key: all)
        #expect(TreeNodeKey(encoded: key.encoded) == key)
        #expect(TreeNodeKey(encoded: Array(key.encoded.dropLast())) == nil)
    }
}
