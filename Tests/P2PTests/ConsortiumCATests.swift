import Foundation
import LedgerCore
import LedgerCrypto
import LedgerTestSupport
import NIOCore
import NIOPosix
import Testing

@testable import P2P

/// The optional consortium CA on top of pinning: with it configured, a pinned key is accepted only in a
/// certificate the CA issued. The CA and the issued certificate are made with the openssl command line.
@Suite(.serialized) struct ConsortiumCATests {
    let group = MultiThreadedEventLoopGroup(numberOfThreads: 2)

    /// Runs a shell script in `directory`; returns its standard output.
    @discardableResult
    func shell(_ script: String, in directory: String) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "set -e; cd \"$0\"; " + script, directory]
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.nullDevice
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0, "\(script)")
        return String(decoding: data, as: UTF8.self)
    }

    /// A consortium CA and a certificate it issues for `identity`'s key.
    func issue(for identity: TLSIdentity, in directory: String) throws -> (ca: ConsortiumCA, issued: TLSIdentity) {
        try identity.privateKeyPEM.write(toFile: directory + "/node.key", atomically: true, encoding: .utf8)
        try shell(
            """
            openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:P-256 -nodes -keyout ca.key -out ca.pem \
              -days 30 -subj /CN=consortium-ca
            openssl req -new -key node.key -subj /CN=node-B -out node.csr
            openssl x509 -req -in node.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 30 -out node.pem
            """,
            in: directory
        )
        let ca = try ConsortiumCA(bundlePEM: String(contentsOfFile: directory + "/ca.pem", encoding: .utf8))
        let issued = try TLSIdentity(
            certificatePEM: String(contentsOfFile: directory + "/node.pem", encoding: .utf8),
            privateKeyPEM: identity.privateKeyPEM
        )
        return (ca, issued)
    }

    @Test func onlyCertificatesTheCAIssuedAreAccepted() async throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("ca-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: directory) }
        let bKey = try TLSIdentity.generate(commonName: "node B, self-signed")
        let (ca, issued) = try issue(for: bKey, in: directory)
        #expect(issued.keyPin == bKey.keyPin)

        let a = try await TestPeer("A", group: group) { $0.consortiumCA = ca }
        // B with the CA-issued certificate is accepted.
        let b = try await TestPeer("B", group: group, identity: issued)
        // C is pinned too, but presents its self-signed certificate.
        let c = try await TestPeer("C", group: group)
        for peer in [a, b, c] { peer.network.registryChanged([a.identityEntry, b.identityEntry, c.identityEntry]) }
        #expect(await eventually { a.connected(to: b) && b.connected(to: a) })
        try await Task.sleep(nanoseconds: 500_000_000)
        #expect(!a.connected(to: c))
        #expect(await eventually { a.logs.contains("C's certificate was not issued by the consortium CA") })
        // Without a CA configured, B and C (both pinned) connect as usual.
        #expect(await eventually { b.connected(to: c) })
        for peer in [a, b, c] { await peer.network.shutdown() }
    }

    @Test func aBundleWithoutCertificatesIsRefused() {
        #expect(throws: CryptoError.self) { try ConsortiumCA(bundlePEM: "not a certificate") }
    }
}
