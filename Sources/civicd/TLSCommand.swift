import ArgumentParser
import CivicCommandLine
import Node

/// `civicd tls renew|rotate`: a node's TLS certificate and key (`docs/node.md`, "TLS keys").
struct TLSCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls",
        abstract: "Renew a node's TLS certificate, or rotate its TLS key through governance.",
        subcommands: [Renew.self, Rotate.self]
    )

    struct Renew: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Issue a new certificate over the same TLS key (peers pin the key, so nothing else changes).",
            discussion: "The node presents the new certificate from its next start; restart it when convenient."
        )

        @Option(help: "The node's home directory.")
        var home: String

        @Option(help: "Days the new certificate is valid.")
        var days: Int32 = 3650

        func run() throws {
            let home = NodeHome(home)
            let renewed = try reportingConfigurationErrors {
                try home.renewTLSCertificate(nodeID: try home.load().configuration.nodeID, validityDays: days)
            }
            print("renewed \(home.tlsCertificatePath) for \(days) days; key pin unchanged: \(renewed.keyPin.hex)")
            print("next: restart the node (SIGTERM, then civicd start) to present it")
        }
    }

    struct Rotate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Make a new TLS key beside the current one and print its pin for a governance proposal.",
            discussion: """
                Propose a member update with this pin as the validator's tls_key_pin. The running node keeps \
                its current key until the update commits, then presents the new one by itself (and makes it \
                current in its home); peers reconnect with it.
                """
        )

        @Option(help: "The node's home directory.")
        var home: String

        func run() throws {
            let home = NodeHome(home)
            let node = try reportingConfigurationErrors { try home.load().configuration.nodeID }
            let next = try reportingConfigurationErrors { try home.prepareTLSRotation(nodeID: node) }
            print("new TLS key: \(home.nextTLSKeyPath) (0600), certificate \(home.nextTLSCertificatePath)")
            print("new key pin: \(next.keyPin.hex)")
            print("next: a governance update of member \(node) with this tls_key_pin")
        }
    }
}
