import CivicCommandLine
import LedgerCore
import LedgerCrypto

/// The per-document proofs `civic submit batch` writes (`docs/cli.md`): the batch's root, size and label, and
/// for each document its digest, place and RFC 9162 audit path.
struct BatchProofsFile {
    struct Entry {
        let digest: Digest
        let path: InclusionProof
    }

    /// The suite the batch was hashed with; nil in a file written before it was recorded.
    let suite: CryptoSuiteID?
    let root: Digest
    let treeSize: UInt64
    let label: String
    let entries: [Entry]

    init(path file: String) throws {
        let document: JSONValue
        do { document = try JSONParser.parse(try FileInput.read(file)) } catch let error as JSONParseError {
            throw InputError(message: "\(file): \(error)")
        }
        func digest(_ value: JSONValue?, _ field: String) throws -> Digest {
            guard case .string(let text)? = value, let bytes = Hex.decode(text), let digest = Digest(bytes: bytes)
            else {
                throw InputError(message: "\(file): \(field) must be 64 hex digits")
            }
            return digest
        }
        guard case .integer(let size)? = document["tree_size"], size >= 1, case .string(let label)? = document["label"],
            case .array(let items)? = document["documents"]
        else {
            throw InputError(message: "\(file): not a batch proofs file (root, tree_size, label, documents)")
        }
        switch document["suite"] {
        case nil: suite = nil
        case .string(let name)? where CryptoSuiteID(rawValue: name) != nil: suite = CryptoSuiteID(rawValue: name)
        default: throw InputError(message: "\(file): suite must be secp256k1-sha256 or sm2-sm3")
        }
        root = try digest(document["root"], "root")
        treeSize = UInt64(size)
        self.label = label
        var entries: [Entry] = []
        for (number, item) in items.enumerated() {
            let field = "documents[\(number)]"
            guard case .integer(let index)? = item["leaf_index"], index >= 0, UInt64(index) < treeSize,
                case .array(let hashes)? = item["hashes"], hashes.count <= InclusionProof.maximumPathLength
            else {
                throw InputError(message: "\(file): \(field) needs a leaf_index below tree_size and its hashes")
            }
            var path: [Digest] = []
            for (place, hash) in hashes.enumerated() { path.append(try digest(hash, "\(field).hashes[\(place)]")) }
            entries.append(
                Entry(
                    digest: try digest(item["digest"], "\(field).digest"),
                    path: InclusionProof(leafIndex: UInt64(index), treeSize: treeSize, hashes: path)
                )
            )
        }
        self.entries = entries
    }

    /// The path of the document with this digest, or an error naming the file.
    func path(for digest: Digest, document: String) throws -> InclusionProof {
        guard let entry = entries.first(where: { $0.digest == digest }) else {
            throw InputError(
                message:
                    "\(document) is not among the batch's documents in this proofs file (digest \(digest.hex.prefix(16))…)"
            )
        }
        return entry.path
    }
}
