import CivicCommandLine
import Foundation
import LedgerCore
import LedgerCrypto

/// A transaction some node said is committed: the promise the invariants hold the network to.
struct Acknowledged {
    let hash: String
    let height: UInt64
}

/// Steady load as a careful client makes it: each department's account signs certificate anchors one after
/// another; each goes to a node that is serving, with `?wait`, and counts as acknowledged only when a node
/// answers that a block committed it. When the answer does not come (the node was killed, paused or cut
/// off), the client asks the other nodes about it and, if none has committed it, sends the same signed bytes
/// again elsewhere — never a new transaction in its place, so nothing is committed twice or skipped.
final class Load: @unchecked Sendable {
    private let cluster: Cluster
    private let genesis: Genesis
    private let accounts: [PrivateKey]
    private let lock = NSLock()
    private var stopped = false
    private(set) var acknowledged: [Acknowledged] = []
    private(set) var resubmissions = 0
    /// Per second of the run, how many transactions were acknowledged in it.
    private(set) var perSecond: [Int: Int] = [:]
    private let started = Date()

    init(cluster: Cluster, genesis: Genesis, accounts: [PrivateKey]) {
        self.cluster = cluster
        self.genesis = genesis
        self.accounts = accounts
    }

    func stop() { lock.withLock { stopped = true } }
    private var isStopped: Bool { lock.withLock { stopped } }

    /// Runs one client per account until `stop()`.
    func run() async {
        await withTaskGroup(of: Void.self) { group in
            for (index, account) in accounts.enumerated() {
                group.addTask { await self.client(index, account) }
            }
        }
    }

    private func client(_ index: Int, _ account: PrivateKey) async {
        let hash = genesis.suite.suite.hashFunction
        let network = genesis.network
        guard let issuer = genesis.member(holding: account.publicKey.bytes)?.id else {
            preconditionFailure("chaos load: account \(account.publicKey.hex) is no genesis member's")
        }
        var sequence: UInt64?
        var counter = 0
        var node = index % cluster.size
        while !isStopped {
            if sequence == nil {
                guard
                    case .integer(let next)? = await cluster.json(node, "/v1/accounts/\(account.publicKey.hex)")?[
                        "next_sequence"
                    ]
                else {
                    node = (node + 1) % cluster.size
                    try? await Task.sleep(for: .milliseconds(200))
                    continue
                }
                sequence = UInt64(next)
            }
            guard let current = sequence else { continue }
            counter += 1
            let transaction = Transaction(
                chainID: genesis.chainID,
                sender: account.publicKey.bytes,
                sequence: current,
                payload: .certificateAnchor(
                    CertificateAnchor(
                        certificate: CertificateRef(
                            issuer: issuer,
                            key: hash.hash(utf8: "chaos \(started) account \(index) certificate \(counter)")
                        ),
                        documentCommitment: hash.hash(utf8: "chaos \(started) account \(index) document \(counter)"),
                        kind: .marriage
                    )
                )
            )
            guard let signed = try? SignedTransaction(signing: transaction, with: account, for: network) else { return }
            let id = signed.id(hash: hash).hex
            while !isStopped {
                node = nextServing(after: node)
                var height = await submit(signed.canonicalBytes, id: id, to: node)
                if height == nil { height = await findCommitted(id) }
                if let height {
                    record(Acknowledged(hash: id, height: height))
                    sequence = current + 1
                    break
                }
                lock.withLock { resubmissions += 1 }
                try? await Task.sleep(for: .milliseconds(250))
            }
        }
    }

    private func nextServing(after node: Int) -> Int {
        for step in 1...cluster.size where cluster.isServing((node + step) % cluster.size) {
            return (node + step) % cluster.size
        }
        return (node + 1) % cluster.size
    }

    /// The height a node says committed it, or nil when it did not say so in time.
    private func submit(_ bytes: [UInt8], id: String, to node: Int) async -> UInt64? {
        guard
            let response = try? await APIRequest.send(
                "POST",
                cluster.apis[node] + "/v1/txs?wait=10",
                body: bytes,
                contentType: "application/octet-stream",
                timeout: 12
            )
        else { return nil }
        if response.status == 200, let document = try? JSONParser.parse(response.body),
            case .integer(let height)? = document["height"]
        {
            return UInt64(height)
        }
        return nil
    }

    /// Asks every node whether a block committed `id`.
    private func findCommitted(_ id: String) async -> UInt64? {
        for node in 0..<cluster.size where cluster.isServing(node) {
            if let document = await cluster.json(node, "/v1/txs/\(id)", timeout: 3),
                document["status"] == .string("committed"), case .integer(let height)? = document["height"]
            {
                return UInt64(height)
            }
        }
        return nil
    }

    private func record(_ entry: Acknowledged) {
        let second = Int(Date().timeIntervalSince(started))
        lock.withLock {
            acknowledged.append(entry)
            perSecond[second, default: 0] += 1
        }
    }
}
