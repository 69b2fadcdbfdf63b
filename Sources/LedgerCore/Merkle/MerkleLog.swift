import LedgerCrypto

/// RFC 6962 / RFC 9162 Merkle tree hashing over a suite's hash function: leaves are hashed as
/// `H(0x00 ‖ data)`, interior nodes as `H(0x01 ‖ left ‖ right)`, the empty tree's root is `H("")`, and a tree
/// of n leaves splits at the largest power of two below n. Used for a block's transactions and for batch
/// anchors; every function is pure.
public struct MerkleLog: Sendable {
    public static let leafPrefix: UInt8 = 0x00
    public static let nodePrefix: UInt8 = 0x01

    public let hash: any HashFunction

    public init(hash: any HashFunction) {
        self.hash = hash
    }

    /// The leaf hash of one entry.
    public func leafHash(_ data: [UInt8]) -> Digest {
        data.withUnsafeBytes { hash.hash(prefix: Self.leafPrefix, $0) }
    }

    /// The interior-node hash of two children.
    public func nodeHash(_ left: Digest, _ right: Digest) -> Digest {
        hash.hash(prefix: Self.nodePrefix, left, right)
    }

    /// The root of the tree whose leaf hashes are given (RFC 9162 §2.1.1).
    ///
    /// Computed level by level, promoting an odd last node unchanged: this builds exactly the left-balanced
    /// tree of the RFC's recursive definition, in O(n) hashes and O(n/2) extra memory.
    public func root(leafHashes: some Collection<Digest>) -> Digest {
        guard !leafHashes.isEmpty else { return hash.hash([]) }
        var level = Array(leafHashes)
        while level.count > 1 {
            var next: [Digest] = []
            next.reserveCapacity((level.count + 1) / 2)
            var index = 0
            while index + 1 < level.count {
                next.append(nodeHash(level[index], level[index + 1]))
                index += 2
            }
            if index < level.count { next.append(level[index]) }
            level = next
        }
        return level[0]
    }

    /// The inclusion proof of leaf `index` (RFC 9162 §2.1.3.1).
    public func inclusionProof(index: Int, leafHashes: [Digest]) throws(MerkleProofError) -> InclusionProof {
        guard index >= 0, index < leafHashes.count else {
            throw MerkleProofError(.invalidSize, "leaf index \(index) is not below tree size \(leafHashes.count)")
        }
        var path: [Digest] = []
        auditPath(index, leafHashes[...], into: &path)
        return InclusionProof(leafIndex: UInt64(index), treeSize: UInt64(leafHashes.count), hashes: path)
    }

    /// The proof that the first `oldSize` leaves form a prefix of all `leafHashes` (RFC 9162 §2.1.4.1).
    public func consistencyProof(oldSize: Int, leafHashes: [Digest]) throws(MerkleProofError) -> ConsistencyProof {
        guard oldSize > 0, oldSize <= leafHashes.count else {
            throw MerkleProofError(.invalidSize, "old size \(oldSize) must be in 1...\(leafHashes.count)")
        }
        var path: [Digest] = []
        subproof(oldSize, leafHashes[...], complete: true, into: &path)
        return ConsistencyProof(oldSize: UInt64(oldSize), newSize: UInt64(leafHashes.count), hashes: path)
    }

    /// Checks that `leafHash` is at `proof.leafIndex` of the tree with `root` (RFC 9162 §2.1.3.2).
    public func verify(_ proof: InclusionProof, leafHash: Digest, root: Digest) throws(MerkleProofError) {
        guard proof.leafIndex < proof.treeSize else {
            throw MerkleProofError(
                .invalidSize,
                "leaf index \(proof.leafIndex) is not below tree size \(proof.treeSize)"
            )
        }
        var fn = proof.leafIndex
        var sn = proof.treeSize - 1
        var result = leafHash
        for sibling in proof.hashes {
            guard sn != 0 else { throw MerkleProofError(.wrongLength, "inclusion proof is too long") }
            if fn & 1 == 1 || fn == sn {
                result = nodeHash(sibling, result)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                result = nodeHash(result, sibling)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw MerkleProofError(.wrongLength, "inclusion proof is too short") }
        guard result == root else {
            throw MerkleProofError(.rootMismatch, "inclusion proof leads to \(result.hex), not root \(root.hex)")
        }
    }

    /// Checks that the tree with `oldRoot` is a prefix of the tree with `newRoot` (RFC 9162 §2.1.4.2).
    /// A proof from size 0 is refused: an empty tree proves nothing about anything.
    public func verify(_ proof: ConsistencyProof, oldRoot: Digest, newRoot: Digest) throws(MerkleProofError) {
        guard proof.oldSize > 0, proof.oldSize <= proof.newSize else {
            throw MerkleProofError(.invalidSize, "old size \(proof.oldSize) must be in 1...\(proof.newSize)")
        }
        if proof.oldSize == proof.newSize {
            guard proof.hashes.isEmpty else {
                throw MerkleProofError(.wrongLength, "a proof between equal sizes must be empty")
            }
            guard oldRoot == newRoot else {
                throw MerkleProofError(.rootMismatch, "equal sizes but different roots")
            }
            return
        }
        var path = proof.hashes[...]
        guard !path.isEmpty else { throw MerkleProofError(.wrongLength, "consistency proof is empty") }
        // An old tree that is a complete subtree is itself the first node of the path.
        if proof.oldSize & (proof.oldSize - 1) == 0 { path = [oldRoot] + path }
        var fn = proof.oldSize - 1
        var sn = proof.newSize - 1
        while fn & 1 == 1 {
            fn >>= 1
            sn >>= 1
        }
        var oldResult = path[path.startIndex]
        var newResult = oldResult
        for node in path.dropFirst() {
            guard sn != 0 else { throw MerkleProofError(.wrongLength, "consistency proof is too long") }
            if fn & 1 == 1 || fn == sn {
                oldResult = nodeHash(node, oldResult)
                newResult = nodeHash(node, newResult)
                while fn & 1 == 0 && fn != 0 {
                    fn >>= 1
                    sn >>= 1
                }
            } else {
                newResult = nodeHash(newResult, node)
            }
            fn >>= 1
            sn >>= 1
        }
        guard sn == 0 else { throw MerkleProofError(.wrongLength, "consistency proof is too short") }
        guard oldResult == oldRoot else {
            throw MerkleProofError(.rootMismatch, "consistency proof does not lead to the old root")
        }
        guard newResult == newRoot else {
            throw MerkleProofError(.rootMismatch, "consistency proof does not lead to the new root")
        }
    }

    /// PATH(m, D[n]) of RFC 9162 §2.1.3.1, appending from the leaf upwards.
    private func auditPath(_ index: Int, _ leaves: ArraySlice<Digest>, into path: inout [Digest]) {
        guard leaves.count > 1 else { return }
        let split = Self.largestPowerOfTwo(below: leaves.count)
        let start = leaves.startIndex
        if index < split {
            auditPath(index, leaves[start..<start + split], into: &path)
            path.append(root(leafHashes: leaves[(start + split)...]))
        } else {
            auditPath(index - split, leaves[(start + split)...], into: &path)
            path.append(root(leafHashes: leaves[start..<start + split]))
        }
    }

    /// SUBPROOF(m, D[n], b) of RFC 9162 §2.1.4.1.
    private func subproof(_ m: Int, _ leaves: ArraySlice<Digest>, complete: Bool, into path: inout [Digest]) {
        if m == leaves.count {
            if !complete { path.append(root(leafHashes: leaves)) }
            return
        }
        let split = Self.largestPowerOfTwo(below: leaves.count)
        let start = leaves.startIndex
        if m <= split {
            subproof(m, leaves[start..<start + split], complete: complete, into: &path)
            path.append(root(leafHashes: leaves[(start + split)...]))
        } else {
            subproof(m - split, leaves[(start + split)...], complete: false, into: &path)
            path.append(root(leafHashes: leaves[start..<start + split]))
        }
    }

    /// The largest power of two strictly below `n` (n ≥ 2).
    static func largestPowerOfTwo(below n: Int) -> Int {
        var k = 1
        while k << 1 < n { k <<= 1 }
        return k
    }
}
