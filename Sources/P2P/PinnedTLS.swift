import LedgerCore
import LedgerCrypto
import NIOCore
import NIOSSL

/// Mutual TLS 1.3 with keys pinned to the registry (`docs/network.md`, "Trust"): both sides must present a
/// certificate, and the custom verification callback — which replaces all of BoringSSL's path checks — accepts
/// exactly the certificates whose key pin is a current member node's. No CA is consulted.
struct PinnedTLS: Sendable {
    let serverContext: NIOSSLContext
    let clientContext: NIOSSLContext
    /// The pin of the key these contexts present.
    let keyPin: Digest

    init(identity: TLSIdentity) throws {
        keyPin = identity.keyPin
        let chain = try NIOSSLCertificate.fromPEMBytes(Array(identity.certificatePEM.utf8)).map {
            NIOSSLCertificateSource.certificate($0)
        }
        let key = try NIOSSLPrivateKey(bytes: Array(identity.privateKeyPEM.utf8), format: .pem)
        var server = TLSConfiguration.makeServerConfiguration(certificateChain: chain, privateKey: .privateKey(key))
        server.minimumTLSVersion = .tlsv13
        // Makes the client certificate mandatory; the callback below does the checking.
        server.certificateVerification = .noHostnameVerification
        var client = TLSConfiguration.makeClientConfiguration()
        client.certificateChain = chain
        client.privateKey = .privateKey(key)
        client.minimumTLSVersion = .tlsv13
        client.certificateVerification = .noHostnameVerification
        // A peer that stops reading cannot hold a closing connection (and a shutting-down node) for long.
        server.shutdownTimeout = .seconds(1)
        client.shutdownTimeout = .seconds(1)
        serverContext = try NIOSSLContext(configuration: server)
        clientContext = try NIOSSLContext(configuration: client)
    }

    /// The pin of a presented certificate's key: SHA-256 of its DER SubjectPublicKeyInfo.
    static func pin(of certificate: NIOSSLCertificate) -> Digest? {
        // try?: a certificate whose key cannot be read has no pin, and is refused.
        guard let spki = try? certificate.extractPublicKey().toSPKIBytes() else { return nil }
        return TLSIdentity.pin(subjectPublicKeyInfo: spki)
    }

    /// The verification callback: accepts the presented chain (leaf first) when `accept` does.
    static func callback(_ accept: @escaping ([NIOSSLCertificate]) -> Bool) -> NIOSSLCustomVerificationCallback {
        { certificates, promise in promise.succeed(accept(certificates) ? .certificateVerified : .failed) }
    }

    /// With a consortium CA configured: does the presented chain lead to it?
    static func issued(_ certificates: [NIOSSLCertificate], by authority: ConsortiumCA) -> Bool {
        // try?: a chain that cannot be encoded leads to no authority, and is refused.
        guard let leaf = try? certificates.first?.toDERBytes(),
            let intermediates = try? certificates.dropFirst().map({ try $0.toDERBytes() })
        else { return false }
        return authority.issued(leaf: leaf, intermediates: intermediates)
    }
}
