import Foundation
import LedgerCore
import LedgerCrypto

/// A network made by `civicd testnet --dir DIR`, as the load, chaos and comparison tools read it: the genesis,
/// each node's home (`DIR/node<i>`, in order) and API address, and the departments' account keys (the
/// charity's is left out: it cannot anchor certificates).
public struct TestnetDirectory {
    public let path: String
    public let genesis: Genesis
    /// The node homes' names, `node0` … in order.
    public let nodes: [String]
    /// Each node's API base URL, from its `config.toml`.
    public let apis: [String]
    public let departmentAccounts: [PrivateKey]
    /// The member each of `departmentAccounts` acts for, in the same order: the issuer its anchors name.
    public let departmentIssuers: [OrgID]

    public init(_ path: String) throws {
        self.path = path
        genesis = try Genesis.parse(json: Array(try Data(contentsOf: URL(fileURLWithPath: path + "/genesis.json"))))
        nodes = try FileManager.default.contentsOfDirectory(atPath: path).filter {
            $0.hasPrefix("node") && FileManager.default.fileExists(atPath: "\(path)/\($0)/config.toml")
        }.sorted()
        apis = try nodes.map { node in
            let lines = try String(contentsOfFile: "\(path)/\(node)/config.toml", encoding: .utf8).split(
                separator: "\n"
            )
            guard let api = lines.firstIndex(of: "[api]"),
                let listen = lines[api...].first(where: { $0.hasPrefix("listen") }),
                listen.split(separator: "\"").count > 1
            else { throw InputError(message: "\(path)/\(node)/config.toml has no [api] listen address") }
            return "http://" + listen.split(separator: "\"")[1]
        }
        departmentAccounts = try FileManager.default.contentsOfDirectory(atPath: path + "/accounts").filter {
            $0.hasSuffix(".key") && $0 != "charity.key"
        }.sorted().map { try KeyFile.read(from: "\(path)/accounts/\($0)") }
        departmentIssuers = try departmentAccounts.map { [genesis] account in
            guard let member = genesis.member(holding: account.publicKey.bytes) else {
                throw InputError(message: "\(path)/accounts: key \(account.publicKey.hex) is no genesis member's")
            }
            return member.id
        }
    }
}
