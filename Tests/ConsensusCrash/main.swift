import Consensus
import Foundation
import LedgerCore
import LedgerCrypto
import Simulation
import Storage

// Test helper for the signing-guard kill test (StorageTests/ConsensusCrashTests): four validators in one
// process, each with its own file WAL, file signing guard and decision log under DIR, on a virtual network
// that drops and delays messages (so rounds fail and timeouts fire). Runs until killed or until every
// validator decided MAX_HEIGHT. Every message a validator signs is printed before it leaves the validator:
//   signed NODE HEIGHT ROUND STEP HASH|nil
//   decided NODE HEIGHT HASH
// Usage: consensus-crash DIR SEED [MAX_HEIGHT]

let arguments = CommandLine.arguments
guard arguments.count >= 3, let seed = UInt64(arguments[2]) else {
    FileHandle.standardError.write(Data("usage: consensus-crash DIR SEED [MAX_HEIGHT]\n".utf8))
    exit(2)
}
let maximumHeight = arguments.count > 3 ? UInt64(arguments[3]) ?? .max : .max

/// Unbuffered: a line on stdout is out before the message is handed to any peer.
func emit(_ line: String) { FileHandle.standardOutput.write(Data((line + "\n").utf8)) }

typealias Driver = ConsensusDriver<FileConsensusWAL, FileSigningGuard>

enum Scheduled {
    case deliver(to: Int, ConsensusEvent)
    case input(node: Int, ConsensusEvent, incarnationHeight: UInt64)
    case gossip(node: Int)
}

/// A validator's durable pieces plus the messages of its height it keeps for gossip.
struct Validator {
    let index: Int
    let directory: String
    var driver: Driver
    var decisions: [Digest]
    var outbox: [ConsensusEvent] = []
    var height: UInt64 { driver.engine.height }
}

struct Network {
    let network = NetworkID(chainID: ChainID(validated: "civic-crash"), genesisHash: .zero)
    let validators: ValidatorSet
    let keys: [PrivateKey]
    let root: String
    var random: SplitMix64
    var now: UInt64 = 0
    var sequence: UInt64 = 0
    var queue = EventQueue<Scheduled>()
    var nodes: [Validator] = []
    var parameters = ConsensusParameters()

    init(root: String, seed: UInt64) throws {
        self.root = root
        random = SplitMix64(seed: seed)
        keys = try (1...4).map { index in
            try CryptoSuiteID.secp256k1SHA256.suite.privateKey(
                scalar: [UInt8](repeating: 0, count: 31) + [UInt8(index)]
            )
        }
        validators = ValidatorSet(
            validators: keys.enumerated().map { index, key in
                ValidatorSet.Validator(id: OrgID(validated: "V\(index)"), power: 10, consensusKey: key.publicKey.bytes)
            }
        )
        parameters.timeoutProposeMs = 600
        parameters.timeoutPrevoteMs = 300
        parameters.timeoutPrecommitMs = 300
        parameters.timeoutIncreaseMs = 100
        parameters.timeoutMaximumMs = 2_000
    }

    /// Reopens validator `index` from its files: its height is one past its last durable decision.
    mutating func open(_ index: Int) throws {
        let directory = root + "/v\(index)"
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        let decisions = try Self.readDecisions(directory)
        let wal = try FileConsensusWAL(directory: directory + "/wal")
        let signer = try FileSigningGuard(path: directory + "/signing-guard", key: keys[index])
        let (driver, actions) = try Driver.open(
            engine(height: UInt64(decisions.count) + 1, index),
            wal: wal,
            signer: signer
        )
        let node = Validator(index: index, directory: directory, driver: driver, decisions: decisions)
        if nodes.count > index { nodes[index] = node } else { nodes.append(node) }
        try perform(actions, node: index)
    }

    func engine(height: UInt64, _ index: Int) -> ConsensusStateMachine {
        var selection = ProposerSelection(validators: validators)
        for _ in 1..<height { _ = selection.next() }
        return ConsensusStateMachine(
            network: network,
            height: height,
            validators: validators,
            selection: selection,
            parameters: parameters,
            ownIndex: UInt16(index)
        )
    }

    /// The decision log: one "HEIGHT HASH" line per decided height.
    static func readDecisions(_ directory: String) throws -> [Digest] {
        guard let data = FileManager.default.contents(atPath: directory + "/decisions") else { return [] }
        var decisions: [Digest] = []
        for line in String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: false) {
            let parts = line.split(separator: " ")
            guard parts.count == 2, UInt64(parts[0]) == UInt64(decisions.count) + 1,
                let bytes = Hex.decode(String(parts[1])), let digest = Digest(bytes: bytes)
            else { break }
            decisions.append(digest)
        }
        return decisions
    }

    /// Stands in for the block store's synced commit: the whole log is rewritten and renamed into place, so a
    /// kill leaves the old or the new log, never a torn one.
    mutating func record(_ hash: Digest, node: Int) throws {
        let lines = (nodes[node].decisions + [hash]).enumerated().map { "\($0.offset + 1) \($0.element.hex)\n" }
        let url = URL(fileURLWithPath: nodes[node].directory + "/decisions")
        try Data(lines.joined().utf8).write(to: url, options: .atomic)
        nodes[node].decisions.append(hash)
        emit("decided \(node) \(nodes[node].decisions.count) \(hash.hex)")
    }

    mutating func advance(_ node: Int) throws {
        nodes[node].outbox = []
        let (driver, actions) = try Driver.open(
            engine(height: nodes[node].height + 1, node),
            wal: nodes[node].driver.wal,
            signer: nodes[node].driver.signer
        )
        nodes[node].driver = driver
        try perform(actions, node: node)
    }

    mutating func perform(_ actions: [Driver.Action], node: Int) throws {
        let height = nodes[node].height
        for action in actions {
            switch action {
            case .broadcast(let event):
                report(event, node: node)
                nodes[node].outbox.append(event)
                for peer in nodes.indices where peer != node { send(event, to: peer) }
            case .scheduleTimeout(let timeout, let milliseconds):
                schedule(
                    at: now + UInt64(milliseconds),
                    .input(node: node, .timeout(timeout), incarnationHeight: height)
                )
            case .buildBlock(let blockHeight, let round):
                let block = SHA256().hash(utf8: "block \(blockHeight)/\(round) by \(node)")
                schedule(at: now + 5, .input(node: node, .blockBuilt(block), incarnationHeight: height))
            case .validateBlock(let hash):
                // One block in eight is invalid, so some rounds end in nil.
                let valid = hash.bytes[0] % 8 != 0
                schedule(
                    at: now + 5,
                    .input(node: node, .blockValidated(hash, valid: valid), incarnationHeight: height)
                )
            case .decide(let hash, _):
                try record(hash, node: node)
                if nodes[node].decisions.count < maximumHeight { try advance(node) }
            case .evidence: break
            case .refused(let refusal): emit("refused \(node) \(refusal)")
            case .signedElsewhere(let record): emit("elsewhere \(node) \(record.height) \(record.round) \(record.step)")
            }
        }
    }

    func report(_ event: ConsensusEvent, node: Int) {
        switch event {
        case .proposal(let signed):
            let proposal = signed.proposal
            emit("signed \(node) \(proposal.height) \(proposal.round) propose \(proposal.blockHash.hex)")
        case .vote(let signed):
            let vote = signed.vote
            emit("signed \(node) \(vote.height) \(vote.round) \(vote.type) \(vote.blockHash?.hex ?? "nil")")
        default: break
        }
    }

    mutating func send(_ event: ConsensusEvent, to peer: Int) {
        guard !random.chance(0.15) else { return }
        schedule(at: now + 1 + random.next() % 40, .deliver(to: peer, event))
    }

    mutating func schedule(at time: UInt64, _ item: Scheduled) {
        sequence += 1
        queue.push(time: time, order: sequence, item)
    }

    mutating func run() throws {
        for index in 0..<4 { try open(index) }
        for index in 0..<4 { schedule(at: 200 + random.next() % 200, .gossip(node: index)) }
        while let next = queue.pop() {
            now = next.at
            if nodes.allSatisfy({ UInt64($0.decisions.count) >= maximumHeight }) { return }
            switch next.item {
            case .deliver(let to, let event):
                try deliver(event, to: to)
            case .input(let node, let event, let incarnationHeight):
                guard nodes[node].height == incarnationHeight else { continue }
                try perform(nodes[node].driver.handle(event), node: node)
            case .gossip(let node):
                for event in nodes[node].outbox {
                    for peer in nodes.indices where peer != node { send(event, to: peer) }
                }
                schedule(at: now + 300, .gossip(node: node))
            }
        }
    }

    /// Peer messages of the current height go to the engine; a message from a later height means this
    /// validator fell behind, and it catches up from that peer's decisions (block sync, SPEC §11).
    mutating func deliver(_ event: ConsensusEvent, to node: Int) throws {
        let height: UInt64
        switch event {
        case .proposal(let signed): height = signed.proposal.height
        case .vote(let signed): height = signed.vote.height
        default: return
        }
        if height > nodes[node].height {
            guard let source = nodes.firstIndex(where: { $0.decisions.count >= nodes[node].height }) else { return }
            while nodes[node].decisions.count < nodes[source].decisions.count, nodes[node].height < height {
                let hash = nodes[source].decisions[nodes[node].decisions.count]
                _ = try nodes[node].driver.handle(.blockCommitted(hash))
                try record(hash, node: node)
                try advance(node)
            }
            return
        }
        guard height == nodes[node].height else { return }
        try perform(nodes[node].driver.handle(event), node: node)
    }
}

do {
    var network = try Network(root: arguments[1], seed: seed)
    try network.run()
} catch {
    FileHandle.standardError.write(Data("consensus-crash: \(error)\n".utf8))
    exit(1)
}
