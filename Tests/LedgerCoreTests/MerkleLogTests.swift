import LedgerCore
import LedgerCrypto
import Testing

/// RFC 6962 / RFC 9162 Merkle trees: the reference vectors from transparency-dev/merkle (via
/// `shared/vectors/README.md`), and exhaustive proof checks for every tree size 1…128.
struct MerkleLogTests {
    let log = MerkleLog(hash: SHA256())

    static let leaves = [
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f",
    ]
    static let roots = [
        "6e340b9cffb37a989ca544e6bb780a2c78901d3fb33738768511a30617afa01d",
        "fac54203e7cc696cf0dfcb42c92a1d9dbaf70ad9e621f4bd8d98662f00e3c125",
        "aeb6bcfe274b70a14fb067a5e5578264db0fa9b51af5e0ba159158f329e06e77",
        "d37ee418976dd95753c1c73862b9398fa2a2cf9b4ff0fdfe8b30cd95209614b7",
        "4e3bbb1f7b478dcfe71fb631631519a3bca12c9aefca1612bfce4c13a86264d4",
        "76e67dadbcdf1e10e1b74ddc608abd2f98dfb16fbce75277b5232a127f2087ef",
        "ddb89be403809e325750d3d263cd78929c2942b7942a34b77e122c9594a74c8c",
        "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328",
    ]

    var referenceLeafHashes: [Digest] { Self.leaves.map { log.leafHash(Hex.decode($0)!) } }

    @Test func referenceRoots() {
        #expect(
            log.root(leafHashes: [Digest]()).hex == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
        )
        for size in 1...8 {
            #expect(log.root(leafHashes: referenceLeafHashes.prefix(size)).hex == Self.roots[size - 1], "size \(size)")
        }
    }

    @Test func referenceLeafAndNodeHashes() {
        #expect(
            log.leafHash(Array("L123456".utf8)).hex
                == "395aa064aa4c29f7010acfe3f25db9485bbd4b91897b6ad7ad547639252b4d56"
        )
        // HashChildren("N123", "N456") hashes 0x01 ‖ "N123" ‖ "N456": the strings stand for child hashes.
        #expect(
            SHA256().hash([1] + Array("N123N456".utf8)).hex
                == "aa217fe888e47007fa15edab33c2b492a722cb106c64667fc2b044444de66bbb"
        )
    }

    /// RFC 9162's recursive definition, written independently of the level-by-level implementation.
    func referenceRoot(_ hashes: ArraySlice<Digest>) -> Digest {
        if hashes.count == 1 { return hashes[hashes.startIndex] }
        var split = 1
        while split * 2 < hashes.count { split *= 2 }
        let start = hashes.startIndex
        return log.nodeHash(referenceRoot(hashes[start..<start + split]), referenceRoot(hashes[(start + split)...]))
    }

    func leafHashes(_ count: Int) -> [Digest] {
        (0..<count).map { log.leafHash(Array("leaf \($0)".utf8)) }
    }

    @Test func everyInclusionProofUpTo128VerifiesAndEveryAlterationFails() throws {
        let all = leafHashes(128)
        for size in 1...128 {
            let hashes = Array(all.prefix(size))
            let root = log.root(leafHashes: hashes)
            #expect(root == referenceRoot(hashes[...]))
            for index in 0..<size {
                let proof = try log.inclusionProof(index: index, leafHashes: hashes)
                try log.verify(proof, leafHash: hashes[index], root: root)
                for alteration in alterations(of: proof) {
                    #expect(throws: MerkleProofError.self) {
                        try log.verify(alteration, leafHash: hashes[index], root: root)
                    }
                }
                let wrongLeaf = hashes[(index + 1) % size]
                if size > 1 {
                    #expect(throws: MerkleProofError.self) { try log.verify(proof, leafHash: wrongLeaf, root: root) }
                }
            }
        }
    }

    @Test func everyConsistencyProofUpTo128VerifiesAndEveryAlterationFails() throws {
        let all = leafHashes(128)
        let roots = (0...128).map { log.root(leafHashes: all.prefix($0)) }
        for newSize in 1...128 {
            let hashes = Array(all.prefix(newSize))
            for oldSize in 1...newSize {
                let proof = try log.consistencyProof(oldSize: oldSize, leafHashes: hashes)
                try log.verify(proof, oldRoot: roots[oldSize], newRoot: roots[newSize])
                for alteration in alterations(of: proof) {
                    #expect(throws: MerkleProofError.self) {
                        try log.verify(alteration, oldRoot: roots[oldSize], newRoot: roots[newSize])
                    }
                }
                if oldSize < newSize {
                    #expect(throws: MerkleProofError.self) {
                        try log.verify(
                            proof,
                            oldRoot: roots[oldSize - 1 == 0 ? 2 : oldSize - 1],
                            newRoot: roots[newSize]
                        )
                    }
                    #expect(throws: MerkleProofError.self) {
                        try log.verify(proof, oldRoot: roots[oldSize], newRoot: roots[newSize - 1])
                    }
                }
            }
        }
    }

    /// A consistency proof from the empty tree proves nothing and is refused (a past bug elsewhere accepted it).
    @Test func consistencyFromSizeZeroIsRefused() {
        let hashes = leafHashes(4)
        let root = log.root(leafHashes: hashes)
        #expect(throws: MerkleProofError(.invalidSize, "")) {
            try log.verify(ConsistencyProof(oldSize: 0, newSize: 4, hashes: []), oldRoot: root, newRoot: root)
        }
        #expect(throws: MerkleProofError(.invalidSize, "")) { try log.consistencyProof(oldSize: 0, leafHashes: hashes) }
        #expect(throws: MerkleProofError(.invalidSize, "")) {
            try log.verify(ConsistencyProof(oldSize: 5, newSize: 4, hashes: []), oldRoot: root, newRoot: root)
        }
        #expect(throws: MerkleProofError(.invalidSize, "")) { try log.inclusionProof(index: 4, leafHashes: hashes) }
        #expect(throws: MerkleProofError(.invalidSize, "")) {
            try log.verify(InclusionProof(leafIndex: 4, treeSize: 4, hashes: []), leafHash: hashes[0], root: root)
        }
    }

    @Test func smSuiteTreesDifferFromSHA256Trees() {
        let sm3Log = MerkleLog(hash: SM3())
        let data = Array("leaf".utf8)
        #expect(sm3Log.leafHash(data) == SM3().hash([0] + data))
        #expect(sm3Log.root(leafHashes: [sm3Log.leafHash(data)]) != log.root(leafHashes: [log.leafHash(data)]))
    }

    /// Every way to spoil a proof: flip any hash, drop the first or last, add one, change the leaf index.
    /// (A changed tree size is not among them: where two sizes give the same path shape the same proof is
    /// valid for both, which is harmless because a root is only ever trusted together with its signed size.)
    func alterations(of proof: InclusionProof) -> [InclusionProof] {
        var result: [InclusionProof] = []
        for position in proof.hashes.indices {
            var hashes = proof.hashes
            hashes[position] = flip(hashes[position])
            result.append(InclusionProof(leafIndex: proof.leafIndex, treeSize: proof.treeSize, hashes: hashes))
        }
        if !proof.hashes.isEmpty {
            result.append(
                InclusionProof(
                    leafIndex: proof.leafIndex,
                    treeSize: proof.treeSize,
                    hashes: Array(proof.hashes.dropLast())
                )
            )
            result.append(
                InclusionProof(
                    leafIndex: proof.leafIndex,
                    treeSize: proof.treeSize,
                    hashes: Array(proof.hashes.dropFirst())
                )
            )
        }
        result.append(
            InclusionProof(leafIndex: proof.leafIndex, treeSize: proof.treeSize, hashes: proof.hashes + [Digest.zero])
        )
        if proof.treeSize > 1 {
            let otherIndex = proof.leafIndex == 0 ? 1 : proof.leafIndex - 1
            result.append(InclusionProof(leafIndex: otherIndex, treeSize: proof.treeSize, hashes: proof.hashes))
        }
        return result
    }

    func alterations(of proof: ConsistencyProof) -> [ConsistencyProof] {
        var result: [ConsistencyProof] = []
        for position in proof.hashes.indices {
            var hashes = proof.hashes
            hashes[position] = flip(hashes[position])
            result.append(ConsistencyProof(oldSize: proof.oldSize, newSize: proof.newSize, hashes: hashes))
        }
        if !proof.hashes.isEmpty {
            result.append(
                ConsistencyProof(oldSize: proof.oldSize, newSize: proof.newSize, hashes: Array(proof.hashes.dropLast()))
            )
            result.append(
                ConsistencyProof(
                    oldSize: proof.oldSize,
                    newSize: proof.newSize,
                    hashes: Array(proof.hashes.dropFirst())
                )
            )
        }
        result.append(
            ConsistencyProof(oldSize: proof.oldSize, newSize: proof.newSize, hashes: proof.hashes + [Digest.zero])
        )
        return result
    }

    func flip(_ digest: Digest) -> Digest {
        var bytes = digest.bytes
        bytes[7] ^= 0x10
        return Digest(bytes: bytes)!
    }
}
