import Consensus
import LedgerCore
import LedgerCrypto

/// The signing guard on disk (SPEC §9): the only holder of a validator's consensus key. Before it returns a
/// signature it replaces its state file with the new record — written, synced, renamed, directory synced —
/// so after a crash at any point the file shows everything the key ever gave out, and `SigningGuardRule`
/// refuses whatever would conflict.
///
/// The file is `magic ‖ public key ‖ record ‖ check` (check: first 4 bytes of SHA-256 of the rest). It names
/// the key it belongs to, so a state file copied from another validator is refused rather than trusted.
/// A missing file means the key never signed; a damaged one refuses to open: deleting it by hand re-opens
/// the door to double-signing, which is why this guard never does it itself.
public final class FileSigningGuard: ConsensusSigner {
    static let magic = Array("civicledger/signing-guard/v1".utf8)

    public let path: String
    public private(set) var last: SigningRecord?
    private let key: PrivateKey
    private let journal: SigningJournal?
    /// The last record is durable but its journal line failed: written before that signature is released.
    private var journalBehind = false

    /// Opens the guard's state at `path` for `key`; with `journal`, every released signature is also
    /// appended there.
    public init(path: String, key: PrivateKey, journal: SigningJournal? = nil) throws(SigningGuardError) {
        self.path = path
        self.key = key
        self.journal = journal
        let bytes: [UInt8]?
        do { bytes = try DurableFile.contents(of: path) } catch { throw .storage(error.description) }
        guard let bytes else { return }
        last = try Self.decode(bytes, path: path, key: key.publicKey)
    }

    public func sign(_ request: SigningRequest) throws(SigningGuardError) -> Signature {
        switch SigningGuardRule.verdict(for: request, after: last) {
        case .reuse(let signature):
            if journalBehind, let last { try appendToJournal(last) }
            return signature
        case .refuse(let refusal): throw .refused(refusal)
        case .sign:
            let signature: Signature
            do { signature = try key.suite.suite.sign(request.signedBytes, with: key) } catch { throw .crypto(error) }
            let record = SigningRecord(request, signature: signature)
            do { try DurableFile.replace(path, with: Self.encode(record, key: key.publicKey)) } catch {
                throw .storage("could not record the signature, so it was not released: \(error)")
            }
            last = record
            try appendToJournal(record)
            return signature
        }
    }

    /// Records a signature this key made elsewhere (`SigningGuardRule.adopts`) the same durable way as its
    /// own. It is not journaled: the journal lists what this guard released.
    public func adopt(_ record: SigningRecord) throws(SigningGuardError) -> Bool {
        guard SigningGuardRule.adopts(record, after: last) else { return false }
        do { try DurableFile.replace(path, with: Self.encode(record, key: key.publicKey)) } catch {
            throw .storage("could not record a signature made elsewhere: \(error)")
        }
        last = record
        // A record whose journal line failed was never released; the adopted one replaces it.
        journalBehind = false
        return true
    }

    private func appendToJournal(_ record: SigningRecord) throws(SigningGuardError) {
        guard let journal else { return }
        do {
            try journal.append(record)
            journalBehind = false
        } catch {
            journalBehind = true
            throw .storage("could not write the signing journal, so the signature was not released: \(error)")
        }
    }

    static func encode(_ record: SigningRecord, key: PublicKey) -> [UInt8] {
        var writer = CanonicalWriter()
        writer.write(raw: magic)
        writer.write(bytes: key.bytes)
        writer.write(record)
        let body = writer.bytes
        return body + SHA256().hash(body).bytes.prefix(4)
    }

    static func decode(_ bytes: [UInt8], path: String, key: PublicKey) throws(SigningGuardError) -> SigningRecord {
        guard bytes.starts(with: magic) else { throw .storage("\(path) is not a signing-guard state file") }
        let body = Array(bytes.dropLast(4))
        guard bytes.count > magic.count + 4, SHA256().hash(body).bytes.prefix(4).elementsEqual(bytes.suffix(4)) else {
            throw .storage("\(path) is damaged (checksum mismatch); refusing to sign until an operator investigates")
        }
        var reader = CanonicalReader(body)
        let owner: [UInt8]
        let record: SigningRecord
        do {
            _ = try reader.readRaw(count: magic.count, "magic")
            owner = try reader.readBytes(maxLength: 128, "public key")
            record = try reader.read(SigningRecord.self)
            try reader.finish()
        } catch {
            throw .storage("\(path) does not decode: \(error)")
        }
        guard owner == key.bytes else {
            throw .storage("\(path) belongs to another consensus key; refusing to sign with this one")
        }
        return record
    }
}
