import LedgerCrypto

extension CertificateAnchor {
    /// The certificate key (`docs/privacy.md`): H("civicledger/certificate-key/2" ‖ number ‖ secret) in the
    /// network's hash, each field in canonical encoding. The secret's 128 bits make the key unguessable from
    /// the number; the issuer, the holder and anyone shown the certificate compute the same key.
    public static func key(number: String, secret: CertificateSecret, hash: any HashFunction) -> Digest {
        var writer = CanonicalWriter()
        writer.write("civicledger/certificate-key/2")
        writer.write(number)
        writer.write(bytes: secret.bytes)
        return hash.hash(writer.bytes)
    }

    /// What the ledger keeps of the document (`docs/privacy.md`): H("civicledger/certificate-document/2" ‖
    /// secret ‖ document digest), so a document digest cannot be confirmed from public data without the secret.
    public static func documentCommitment(
        documentDigest: Digest,
        secret: CertificateSecret,
        hash: any HashFunction
    )
        -> Digest
    {
        var writer = CanonicalWriter()
        writer.write("civicledger/certificate-document/2")
        writer.write(bytes: secret.bytes)
        writer.write(documentDigest)
        return hash.hash(writer.bytes)
    }
}
