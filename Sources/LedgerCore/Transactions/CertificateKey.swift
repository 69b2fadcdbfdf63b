import LedgerCrypto

extension CertificateAnchor {
    /// The certificate key of a certificate number and its document's digest (`docs/rules.md`,
    /// "Certificates"): H("civicledger/certificate-key/1" ‖ number ‖ digest) in the network's hash, each
    /// field in canonical encoding. Without the document a number cannot be turned into a key, so numbers
    /// cannot be walked; the registrar, the holder and any verifier with the document compute the same key.
    public static func key(number: String, documentDigest: Digest, hash: any HashFunction) -> Digest {
        var writer = CanonicalWriter()
        writer.write("civicledger/certificate-key/1")
        writer.write(number)
        writer.write(documentDigest)
        return hash.hash(writer.bytes)
    }
}
